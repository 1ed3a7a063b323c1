package io.natsboot.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.natsboot.core.DefaultNatsMessageConverter;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.JetStreamPullWorker;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.jetstream.PullWorkerSettings;
import io.natsboot.jetstream.PullWorkerTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link TaskPriorityPullStrategy} on a {@link JetStreamPullWorker} of several consumers,
 * as the task workers run it: higher priorities first, the lowest never starved.
 */
class TaskPriorityPullStrategyTests extends PullWorkerTestSupport {

	TaskPriorityPullStrategyTests() {
		super("PRIORITIES");
	}

	@Test
	void aWorkerOfSeveralConsumersTakesHigherPrioritiesFirstAndStarvesNone() throws Exception {
		for (String priority : List.of("low", "normal", "high")) {
			for (int i = 0; i < 20; i++) {
				this.connection.jetStream()
					.publish(this.stream.toLowerCase() + "." + priority, (priority + i).getBytes());
			}
		}
		List<String> handled = new CopyOnWriteArrayList<>();
		List<ConsumerConfiguration> consumers = List.of("high", "normal", "low")
			.stream()
			.map((priority) -> ConsumerConfiguration.builder()
				.durable("tasks-" + priority)
				.filterSubject(this.stream.toLowerCase() + "." + priority)
				.ackPolicy(AckPolicy.Explicit)
				.build())
			.toList();
		JetStreamOptions options = JetStreamOptions.DEFAULT_JS_OPTIONS;
		JetStreamPullWorker worker = new JetStreamPullWorker(
				PullWorkerSettings.builder("priorities", this.stream, consumers)
					.drainTimeout(Duration.ofSeconds(2))
					.build(),
				this.connection, options, NatsSubjectResolver.none(), new DefaultNatsMessageConverter(null),
				(message) -> handled.add(message.message().subject().substring(this.stream.length() + 1)),
				new DeadLetterPublishingRecoverer(this.connection, options), PullWorkerMetrics.NONE, null,
				new NatsExceptionTranslator(), new TaskPriorityPullStrategy());
		worker.start();
		await().until(() -> handled.size() == 60);
		int lastHigh = handled.lastIndexOf("high");
		assertThat(handled.subList(0, lastHigh)).doesNotContain("normal").contains("low");
		assertThat(handled.subList(0, lastHigh).stream().filter("low"::equals).count())
			.isLessThanOrEqualTo(20 / (TaskPriorityPullStrategy.STARVATION_GUARD_ROUNDS - 1) + 1);
		assertThat(worker.status().consumer()).isEqualTo("tasks-high,tasks-normal,tasks-low");
		assertThat(worker.status().handled()).isEqualTo(60);
		worker.stop();
	}

	@Test
	void aWorkerOfSeveralConsumersNeedsAStrategyThatChoosesAmongThem() {
		List<ConsumerConfiguration> consumers = List.of("high", "low")
			.stream()
			.map((priority) -> ConsumerConfiguration.builder().durable("tasks-" + priority).build())
			.toList();
		JetStreamOptions options = JetStreamOptions.DEFAULT_JS_OPTIONS;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JetStreamPullWorker(PullWorkerSettings.builder("two", this.stream, consumers).build(),
					this.connection, options, NatsSubjectResolver.none(), new DefaultNatsMessageConverter(null),
					(message) -> {
					}, new DeadLetterPublishingRecoverer(this.connection, options), PullWorkerMetrics.NONE, null))
			.withMessageContaining("needs a PullStrategy");
	}

}
