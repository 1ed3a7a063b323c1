package io.natsboot.jetstream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.natsboot.core.DefaultNatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JetStreamPullWorker} used directly, as the task queue does: restart on the same
 * worker, a hung handler, and an exact count of deliveries.
 */
class JetStreamPullWorkerTests extends PullWorkerTestSupport {

	JetStreamPullWorkerTests() {
		super("WORK");
	}

	@Test
	void aStoppedWorkerStartsAgainAndGoesOnWhereItStoppedInOrder() throws Exception {
		List<String> handled = new CopyOnWriteArrayList<>();
		JetStreamPullWorker worker = worker(settings(Duration.ofSeconds(30)).build(),
				(message) -> handled.add(message.message().payloadAsString()));
		worker.start();
		publish("a", "b");
		await().until(() -> handled.size() == 2);
		worker.stop();
		assertThat(worker.isRunning()).isFalse();
		assertThat(worker.status().state()).isEqualTo(PullWorkerStatus.State.STOPPED);
		publish("c", "d");
		worker.start();
		await().until(() -> handled.size() == 4);
		Thread.sleep(300);
		assertThat(handled).containsExactly("a", "b", "c", "d");
		assertThat(worker.status().handled()).isEqualTo(4);
		worker.stop();
	}

	@Test
	void aHandlerRunningPastTheMaxProcessingTimeMakesTheWorkerUnhealthyAndItsMessageIsDeliveredAgain()
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		List<Long> deliveries = new CopyOnWriteArrayList<>();
		JetStreamPullWorker worker = worker(
				settings(Duration.ofSeconds(1)).concurrency(2).maxProcessingTime(Duration.ofMillis(1500)).build(),
				(message) -> {
					deliveries.add(message.deliveredCount());
					if (message.deliveredCount() == 1) {
						release.await(20, TimeUnit.SECONDS);
					}
				});
		worker.start();
		publish("hangs");
		await().atMost(Duration.ofSeconds(10)).until(() -> !worker.status().healthy());
		assertThat(worker.status().problem()).contains("runs longer than PT1.5S");
		await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 2);
		assertThat(deliveries).containsExactly(1L, 2L);
		release.countDown();
		await().until(() -> worker.status().healthy());
		worker.stop();
	}

	@Test
	void stoppingReleasesAMessageWhoseHandlerOutlivesTheDrainTimeout() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		JetStreamPullWorker worker = worker(
				settings(Duration.ofSeconds(30)).concurrency(2).drainTimeout(Duration.ofMillis(300)).build(),
				(message) -> {
					started.countDown();
					Thread.sleep(10_000);
				});
		worker.start();
		publish("slow");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		worker.stop();
		// released with a nak, not left for the 30 s ack wait: another worker gets it at
		// once
		List<String> redelivered = new CopyOnWriteArrayList<>();
		JetStreamPullWorker other = worker(settings(Duration.ofSeconds(30)).build(),
				(message) -> redelivered.add(message.message().payloadAsString()));
		other.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> redelivered.size() == 1);
		assertThat(redelivered).containsExactly("slow");
		assertThat(worker.status().state()).isEqualTo(PullWorkerStatus.State.STOPPED);
		other.stop();
	}

	private PullWorkerSettings.Builder settings(Duration ackWait) {
		return PullWorkerSettings
			.builder("worker-" + this.stream, this.stream,
					ConsumerConfiguration.builder()
						.durable("workers")
						.ackPolicy(AckPolicy.Explicit)
						.ackWait(ackWait)
						.maxDeliver(5)
						.build())
			.drainTimeout(Duration.ofSeconds(2));
	}

	private JetStreamPullWorker worker(PullWorkerSettings settings, JetStreamMessageHandler handler) {
		JetStreamOptions options = JetStreamOptions.DEFAULT_JS_OPTIONS;
		return new JetStreamPullWorker(settings, this.connection, options, NatsSubjectResolver.none(),
				new DefaultNatsMessageConverter(null), handler,
				new DeadLetterPublishingRecoverer(this.connection, options), PullWorkerMetrics.NONE, null);
	}

	private void publish(String... payloads) throws Exception {
		for (String payload : payloads) {
			this.connection.jetStream().publish(this.stream.toLowerCase() + ".work", payload.getBytes());
		}
	}

}
