package io.natsboot.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;

/**
 * The raw jnats side of the JetStream consumer benchmarks: one thread on a pull
 * subscription bound to a durable consumer, pulling {@code slots} messages at a time,
 * converting each with Jackson and acknowledging it, counting what it handled.
 */
final class RawPullLoop implements AutoCloseable {

	private final Thread thread;

	private volatile boolean running = true;

	RawPullLoop(Connection connection, String stream, String consumer, int slots, AtomicLong handled)
			throws IOException, JetStreamApiException {
		ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
		JetStreamSubscription subscription = connection.jetStream()
			.subscribe(null, PullSubscribeOptions.fastBind(stream, consumer));
		PullRequestOptions pull = PullRequestOptions.builder(slots).expiresIn(2000).build();
		this.thread = new Thread(() -> {
			while (this.running) {
				try {
					subscription.pull(pull);
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
					for (int received = 0; received < slots; received++) {
						long left = deadline - System.nanoTime();
						Message message = (left > 0) ? subscription.nextMessage(Duration.ofNanos(left)) : null;
						if (message == null) {
							break;
						}
						ListenerBenchmark.Order order = mapper.readValue(message.getData(),
								ListenerBenchmark.Order.class);
						if (order.quantity() > 0) {
							handled.incrementAndGet();
						}
						message.ack();
					}
				}
				catch (Exception ex) {
					if (this.running) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}, "raw-pull-loop");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(5000);
	}

}
