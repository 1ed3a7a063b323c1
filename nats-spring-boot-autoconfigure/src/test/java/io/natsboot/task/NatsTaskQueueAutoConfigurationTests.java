package io.natsboot.task;

import io.nats.client.Message;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.core.Acknowledgment;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the task queue's auto-configuration creates, when it backs off, and how bad
 * {@code nats.task-queue.*} values fail. No server is needed: nothing here connects.
 */
class NatsTaskQueueAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
		.withPropertyValues("nats.servers=nats://127.0.0.1:1", "nats.startup=wait", "nats.namespace=shop");

	@Test
	void createsTheTaskQueueWithNamespacedNamesAndTheDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(NatsTaskQueue.class).hasSingleBean(TaskWorkerRegistry.class);
			TaskQueueSettings settings = context.getBean(TaskQueueSettings.class);
			assertThat(settings.stream()).isEqualTo("shop_TASKS");
			assertThat(settings.deadLetterStream()).isEqualTo("shop_TASKS_DEAD");
			assertThat(settings.statusBucket()).isEqualTo("shop_TASK_STATUS");
			assertThat(settings.resultBucket()).isEqualTo("shop_TASK_RESULTS");
			assertThat(settings.retry().maxAttempts()).isEqualTo(5);
			assertThat(settings.ackWait()).hasSeconds(30);
			assertThat(settings.duplicateWindow()).hasMinutes(2);
			assertThat(settings.queue("default")).isEqualTo(new TaskQueueSettings.Queue(TaskTracking.FULL, 32));
		});
	}

	@Test
	void eachQueueHasItsTrackingAndPrefetchOrTheDefaults() {
		this.contextRunner
			.withPropertyValues("nats.task-queue.prefetch=4", "nats.task-queue.queues.mail.tracking=none",
					"nats.task-queue.queues.reports.tracking=results", "nats.task-queue.queues.reports.prefetch=0")
			.run((context) -> {
				TaskQueueSettings settings = context.getBean(TaskQueueSettings.class);
				assertThat(settings.queue("mail")).isEqualTo(new TaskQueueSettings.Queue(TaskTracking.NONE, 4));
				assertThat(settings.queue("reports")).isEqualTo(new TaskQueueSettings.Queue(TaskTracking.RESULTS, 0));
				assertThat(settings.queue("default")).isEqualTo(new TaskQueueSettings.Queue(TaskTracking.FULL, 4));
			});
	}

	@Test
	void backsOffWhenDisabledAndATaskHandlerThenFailsStartupSayingSo() {
		this.contextRunner.withPropertyValues("nats.task-queue.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TaskQueue.class);
		});
		this.contextRunner.withPropertyValues("nats.task-queue.enabled=false")
			.withBean(TaskQueueTests.SeedHandlers.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("needs the task queue, which is off (nats.task-queue.enabled=false)"));
	}

	@Test
	void badValuesFailStartupNamingTheProperty() {
		assertInvalid("nats.task-queue.retry.max-attempts=0", "nats.task-queue.retry.max-attempts");
		assertInvalid("nats.task-queue.retry.jitter=2", "nats.task-queue.retry.jitter");
		assertInvalid("nats.task-queue.retry.multiplier=0.5", "nats.task-queue.retry.multiplier");
		assertInvalid("nats.task-queue.stream=ORDERS.EU", "nats.task-queue.stream");
		assertInvalid("nats.task-queue.batch-size=0", "nats.task-queue.batch-size");
		assertInvalid("nats.task-queue.ack-wait=0s", "nats.task-queue.ack-wait");
		assertInvalid("nats.task-queue.prefetch=-1", "nats.task-queue.prefetch");
		assertInvalid("nats.task-queue.queues.mail.prefetch=-1", "nats.task-queue.queues.mail.prefetch");
		this.contextRunner.withPropertyValues("nats.task-queue.queues.mail.tracking=everything")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'nats.task-queue.queues.mail.tracking'"));
		assertInvalid("nats.task-queue.queues[mail.eu].tracking=none", "nats.task-queue.queues");
	}

	@Test
	void theDuplicateWindowIsATaskQueuePropertyAndItsOldJetStreamNameStillWorks() {
		this.contextRunner.withPropertyValues("nats.task-queue.duplicate-window=5m")
			.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).duplicateWindow()).hasMinutes(5));
		this.contextRunner.withPropertyValues("nats.jetstream.duplicate-window=7m")
			.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).duplicateWindow()).hasMinutes(7));
		this.contextRunner
			.withPropertyValues("nats.jetstream.duplicate-window=7m", "nats.task-queue.duplicate-window=5m")
			.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).duplicateWindow()).hasMinutes(5));
		assertInvalid("nats.task-queue.duplicate-window=0s", "nats.task-queue.duplicate-window");
		assertInvalid("nats.jetstream.duplicate-window=0s", "nats.task-queue.duplicate-window");
	}

	@Test
	void aBadTaskHandlerDeclarationFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(BadHandler.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@TaskHandler method 'handle' of bean")
				.hasMessageContaining("maxAttempts 'many' is not a whole number"));
	}

	@Test
	void aTaskHandlerThatWouldAcknowledgeItsOwnMessageFailsStartupNamingTheParameter() {
		this.contextRunner.withBean(AcknowledgingHandler.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@TaskHandler method 'handle' of bean")
				.hasMessageContaining("parameter #1 (Acknowledgment) is not supported")
				.hasMessageContaining("the task queue acknowledges a task's message itself"));
		this.contextRunner.withBean(NativeMessageHandler.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("parameter #0 (Message) is not supported"));
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("Property " + name));
	}

	static class BadHandler {

		@TaskHandler(value = "x", maxAttempts = "many")
		void handle(String payload) {
		}

	}

	static class AcknowledgingHandler {

		@TaskHandler("x")
		void handle(String payload, Acknowledgment acknowledgment) {
		}

	}

	static class NativeMessageHandler {

		@TaskHandler("x")
		void handle(Message message) {
		}

	}

}
