package io.natsboot.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStream;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.annotation.NatsListener;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.jetstream.NatsStreamDefinition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.annotation.Bean;

/**
 * Messages/s through a durable {@code @NatsListener} (stream + durable, a method taking a
 * JSON {@code Order}) against a raw jnats loop on a durable consumer of the same stream
 * that pulls through a pull subscription, converts with Jackson and acks, one message at
 * a time on one thread. {@code slots} is both the listener's concurrency and batch size
 * and the raw loop's pull size, so both have the same number of unacknowledged messages
 * in hand. (jnats' simplified {@code ConsumerContext.fetch} was the first raw loop; under
 * this load it left a message to its ack wait now and then, see JetStreamPullWorker, so
 * the comparison uses the sound raw loop.) One operation is one message; each invocation
 * publishes {@value #BATCH} with JetStream async publish and waits until all are handled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DurableListenerBenchmark {

	static final int BATCH = 1000;

	static final AtomicLong LISTENER_HANDLED = new AtomicLong();

	@Param({ "1", "10" })
	public int slots;

	private final AtomicLong rawHandled = new AtomicLong();

	private BenchmarkServer nats;

	private JetStream publisher;

	private RawPullLoop rawLoop;

	private byte[] json;

	@Setup(Level.Trial)
	public void start() throws Exception {
		System.setProperty("bench.durable.slots", String.valueOf(this.slots));
		this.nats = new BenchmarkServer(DurableOrderListener.class);
		this.publisher = this.nats.raw.jetStream();
		ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
		this.json = mapper.writeValueAsBytes(new ListenerBenchmark.Order("order-1", 3));
		String stream = BenchmarkServer.NAMESPACE + "_DURABLE";
		this.nats.raw.jetStreamManagement()
			.addOrUpdateConsumer(stream,
					ConsumerConfiguration.builder()
						.durable("raw")
						.filterSubject("bench.durable.raw.>")
						.ackPolicy(AckPolicy.Explicit)
						.ackWait(Duration.ofSeconds(30))
						.build());
		this.rawLoop = new RawPullLoop(this.nats.raw, stream, "raw", this.slots, this.rawHandled);
		NatsListenerEndpointRegistry registry = this.nats.context.getBean(NatsListenerEndpointRegistry.class);
		while (!registry.getListenerContainer("durable-orders").isSubscribed()) {
			Thread.sleep(10);
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.rawLoop.close();
		this.nats.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void rawJnatsFetchAckLoop() throws Exception {
		long target = this.rawHandled.get() + BATCH;
		publish("bench.durable.raw.orders");
		ListenerBenchmark.awaitCount(this.rawHandled, target);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void durableNatsListener() throws Exception {
		long target = LISTENER_HANDLED.get() + BATCH;
		publish("bench.durable.listener.orders");
		ListenerBenchmark.awaitCount(LISTENER_HANDLED, target);
	}

	private void publish(String subject) throws Exception {
		java.util.concurrent.CompletableFuture<?>[] acks = new java.util.concurrent.CompletableFuture<?>[BATCH];
		for (int i = 0; i < BATCH; i++) {
			acks[i] = this.publisher.publishAsync(subject, this.json);
		}
		// every message must be stored, or a missing one would be blamed on the consumer
		java.util.concurrent.CompletableFuture.allOf(acks).get(30, TimeUnit.SECONDS);
	}

	/**
	 * The durable listener under test, and its stream.
	 */
	public static class DurableOrderListener {

		@Bean
		NatsStreamDefinition durableStream() {
			return new NatsStreamDefinition(
					StreamConfiguration.builder().name("DURABLE").subjects("durable.>").maxMessages(200_000).build());
		}

		@NatsListener(id = "durable-orders", subject = "durable.listener.>", stream = "DURABLE", durable = "bench",
				concurrency = "${bench.durable.slots}", batchSize = "${bench.durable.slots}")
		public void onOrder(ListenerBenchmark.Order order) {
			if (order.quantity() > 0) {
				LISTENER_HANDLED.incrementAndGet();
			}
		}

	}

}
