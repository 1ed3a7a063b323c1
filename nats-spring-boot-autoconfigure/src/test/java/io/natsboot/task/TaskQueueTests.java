package io.natsboot.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.logging.DefaultLogLevelExtension;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The task queue against a real server: the seed scenarios, retries and dead letters,
 * delays, priorities, cancel, results, heartbeats, interop and bad input. Each test runs
 * in a namespace of its own, so streams and buckets never meet.
 */
@WithNatsServer
class TaskQueueTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "t" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace,
				"nats.drain-timeout=2s", "nats.task-queue.retry.initial-interval=200ms",
				"nats.task-queue.retry.jitter=0");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void emailImageAndReportTasksRunAndTheirResultsComeBack() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt email = tasks.enqueue("send_email", new Email("ada@example.com", "Welcome"));
			TaskReceipt image = tasks.enqueue("resize_image", new Image("cat.png", 200), TaskOptions.queue("media"));
			TaskReceipt report = tasks.enqueue("build_report", Map.of("month", "2026-11"),
					TaskOptions.priority(TaskPriority.HIGH).id("report-2026-11"));
			assertThat(report.id()).isEqualTo("report-2026-11");
			assertThat(email.duplicate()).isFalse();
			assertThat(tasks.awaitResult(email.id(), String.class, Duration.ofSeconds(10)))
				.isEqualTo("sent to ada@example.com");
			assertThat(tasks.awaitResult(image.id(), Image.class, Duration.ofSeconds(10)))
				.isEqualTo(new Image("cat.png", 100));
			assertThat(tasks.awaitResult(report.id(), Report.class, Duration.ofSeconds(10)))
				.isEqualTo(new Report("2026-11", 3));
			TaskStatus status = tasks.status(report.id());
			assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
			assertThat(status.attempts()).isEqualTo(1);
			assertThat(status.progress()).isEqualTo(100);
			assertThat(status.priority()).isEqualTo(TaskPriority.HIGH);
			assertThat(status.queue()).isEqualTo("default");
			assertThat(tasks.status(image.id()).queue()).isEqualTo("media");
			assertThat(context.getBean(SeedHandlers.class).reportProgress).containsExactly(50);
		});
	}

	@Test
	void processRunsOneBatchThroughTheHandlersAndReturnsTheCount() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			context.getBean(TaskWorkerRegistry.class).stop();
			TaskQueue tasks = context.getBean(TaskQueue.class);
			for (int i = 0; i < 25; i++) {
				tasks.enqueue("send_email", new Email("user" + i + "@example.com", "Hi"));
			}
			assertThat(tasks.process("worker-1", 10)).isEqualTo(10);
			assertThat(tasks.process("worker-1", 10)).isEqualTo(10);
			assertThat(tasks.process("worker-1", 10)).isEqualTo(5);
			assertThat(tasks.process("worker-1", 10)).isZero();
			assertThat(context.getBean(SeedHandlers.class).emails).hasSize(25);
		});
	}

	@Test
	void aPoisonTaskGoesToDeadLettersAfterItsAttemptsWithTheBackoffWhileGoodTasksComplete() {
		this.contextRunner.withBean(Flaky.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Flaky flaky = context.getBean(Flaky.class);
			tasks.enqueue("charge", "good-1");
			TaskReceipt poison = tasks.enqueue("charge", "poison", TaskOptions.maxAttempts(3));
			tasks.enqueue("charge", "good-2");
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> tasks.awaitResult(poison.id(), String.class, Duration.ofSeconds(20)))
				.satisfies((ex) -> assertThat(ex.getStatus().state()).isEqualTo(TaskState.DEAD));
			assertThat(flaky.poisonRuns).hasSize(3);
			long firstGap = flaky.poisonRuns.get(1) - flaky.poisonRuns.get(0);
			long secondGap = flaky.poisonRuns.get(2) - flaky.poisonRuns.get(1);
			assertThat(firstGap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
			assertThat(secondGap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(390));
			await().until(() -> flaky.good.size() == 2);
			TaskStatus status = tasks.status(poison.id());
			assertThat(status.attempts()).isEqualTo(3);
			assertThat(status.lastError()).contains("IllegalStateException").contains("card declined");
			DeadTask dead = tasks.deadLetter(poison.id());
			assertThat(dead.type()).isEqualTo("charge");
			assertThat(dead.queue()).isEqualTo("default");
			assertThat(dead.attempts()).isEqualTo(3);
			assertThat(dead.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
			assertThat(new String(dead.payload())).isEqualTo("poison");
			assertThat(tasks.stats()).filteredOn((stats) -> stats.queue().equals("default"))
				.singleElement()
				.satisfies((stats) -> {
					assertThat(stats.dead()).isEqualTo(1);
					assertThat(stats.succeeded()).isEqualTo(2);
					assertThat(stats.failed()).isEqualTo(3);
				});
		});
	}

	@Test
	void aNonRetryableFailureAnUnknownTypeAndAnUnreadablePayloadGoStraightToDeadLetters() {
		this.contextRunner.withBean(Flaky.class).withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt refused = tasks.enqueue("charge", "refuse");
			TaskReceipt unknown = tasks.enqueue("no_such_type", "x");
			TaskReceipt unreadable = tasks.enqueue("send_email", "{not json");
			await().until(() -> tasks.deadLetters().size() == 3);
			assertThat(tasks.deadLetter(refused.id()).exceptionClass())
				.isEqualTo(NonRetryableTaskException.class.getName());
			assertThat(tasks.deadLetter(refused.id()).attempts()).isEqualTo(1);
			assertThat(tasks.deadLetter(unknown.id()).exceptionMessage())
				.contains("no @TaskHandler for task type 'no_such_type' in queue 'default'");
			assertThat(tasks.deadLetter(unreadable.id()).attempts()).isEqualTo(1);
			await().until(() -> tasks.status(unknown.id()).state() == TaskState.DEAD);
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> tasks.awaitResult(unknown.id(), String.class, Duration.ofSeconds(5)));
			assertThat(context.getBean(Flaky.class).refusals).hasValue(1);
		});
	}

	@Test
	@ExtendWith({ OutputCaptureExtension.class, DefaultLogLevelExtension.class })
	void anUnconvertibleTaskIsDeadLetteredAndLoggedInOneLineWithoutStackTrace(CapturedOutput output) {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt unreadable = tasks.enqueue("send_email", "not json", TaskOptions.id("mail-7"));
			await().until(() -> tasks.deadLetters().size() == 1);
			assertThat(tasks.deadLetter(unreadable.id()).attempts()).isEqualTo(1);
			await().until(() -> tasks.status(unreadable.id()).state() == TaskState.DEAD);
		});
		assertThat(DefaultLogLevelExtension.warningsAndErrors(output.getOut())).singleElement()
			.satisfies((line) -> assertThat(line).contains("'mail-7'", "send_email", this.namespace + ".",
					Email.class.getName(), "Unrecognized token 'not'"));
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	@Test
	@ExtendWith({ OutputCaptureExtension.class, DefaultLogLevelExtension.class })
	void aTaskItsHandlerDeclaresNotRetryableIsDeadLetteredAtOnceAndLoggedInOneLine(CapturedOutput output) {
		this.contextRunner.withBean(Flaky.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt refused = tasks.enqueue("charge", "refuse", TaskOptions.id("charge-9"));
			await().until(() -> tasks.deadLetter(refused.id()) != null);
			assertThat(tasks.deadLetter(refused.id()).attempts()).isEqualTo(1);
		});
		assertThat(DefaultLogLevelExtension.warningsAndErrors(output.getOut())).singleElement()
			.satisfies((line) -> assertThat(line).contains("'charge-9'", "dead letters", "card refused for good"));
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	@Test
	void aDeadTaskIsRequeuedWithFreshAttemptsAndDeadLettersArePurged() {
		this.contextRunner.withBean(Flaky.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Flaky flaky = context.getBean(Flaky.class);
			TaskReceipt poison = tasks.enqueue("charge", "poison", TaskOptions.maxAttempts(1));
			await().until(() -> tasks.deadLetter(poison.id()) != null);
			flaky.healed = true;
			TaskReceipt again = tasks.requeue(poison.id());
			assertThat(again.id()).isEqualTo(poison.id());
			assertThat(tasks.awaitResult(poison.id(), String.class, Duration.ofSeconds(10)))
				.isEqualTo("charged poison");
			assertThat(tasks.status(poison.id()).requeues()).isEqualTo(1);
			assertThat(tasks.deadLetters()).isEmpty();
			TaskReceipt other = tasks.enqueue("charge", "refuse");
			await().until(() -> tasks.deadLetter(other.id()) != null);
			assertThat(tasks.purgeDeadLetters()).isEqualTo(1);
			assertThat(tasks.deadLetters()).isEmpty();
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.requeue("never-dead"))
				.withMessage("There is no dead letter of task 'never-dead'");
		});
	}

	@Test
	void asyncEnqueuesArePipelinedAndEachTaskRuns() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			List<java.util.concurrent.CompletableFuture<TaskReceipt>> receipts = new java.util.ArrayList<>();
			for (int i = 0; i < 200; i++) {
				receipts.add(tasks.enqueueAsync("send_email", new Email("async" + i + "@example.com", "Hi"),
						TaskOptions.id("async-" + i)));
			}
			java.util.concurrent.CompletableFuture
				.allOf(receipts.toArray(new java.util.concurrent.CompletableFuture[0]))
				.join();
			assertThat(receipts).allSatisfy((receipt) -> assertThat(receipt.join().duplicate()).isFalse());
			await().until(() -> context.getBean(SeedHandlers.class).emails.size() == 200);
			assertThat(tasks.awaitResult("async-199", String.class, Duration.ofSeconds(10)))
				.isEqualTo("sent to async199@example.com");
			assertThat(tasks.enqueueAsync("send_email", new Email("x@example.com", "Hi"), TaskOptions.id("async-0"))
				.join()
				.duplicate()).isTrue();
		});
	}

	@Test
	void aTaskIdEnqueuedTwiceRunsOnce() throws Exception {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt first = tasks.enqueue("send_email", new Email("once@example.com", "Hi"),
					TaskOptions.id("mail-42"));
			TaskReceipt second = tasks.enqueue("send_email", new Email("once@example.com", "Hi"),
					TaskOptions.id("mail-42"));
			assertThat(first.duplicate()).isFalse();
			assertThat(second.duplicate()).isTrue();
			assertThat(second.streamSequence()).isEqualTo(first.streamSequence());
			tasks.awaitResult("mail-42", String.class, Duration.ofSeconds(10));
			Thread.sleep(500);
			assertThat(context.getBean(SeedHandlers.class).emails).hasSize(1);
		});
	}

	@Test
	void aTaskIdReusedAfterTheDuplicateWindowRunsAgain() throws Exception {
		this.contextRunner.withBean(SeedHandlers.class)
			.withPropertyValues("nats.task-queue.duplicate-window=1s")
			.run((context) -> {
				TaskQueue tasks = context.getBean(TaskQueue.class);
				tasks.enqueue("send_email", new Email("first@example.com", "Hi"), TaskOptions.id("monthly-mail"));
				tasks.awaitResult("monthly-mail", String.class, Duration.ofSeconds(10));
				Thread.sleep(1500);
				TaskReceipt again = tasks
					.enqueueAsync("send_email", new Email("second@example.com", "Hi"), TaskOptions.id("monthly-mail"))
					.join();
				assertThat(again.duplicate()).isFalse();
				await().until(() -> context.getBean(SeedHandlers.class).emails.size() == 2);
				assertThat(tasks.awaitResult("monthly-mail", String.class, Duration.ofSeconds(10)))
					.isEqualTo("sent to second@example.com");
			});
	}

	@Test
	void aDelayedTaskRunsNoEarlierThanItsTimeAndSoonAfterWithoutUsingAnAttempt() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Instant notBefore = Instant.now().plusSeconds(2);
			TaskReceipt delayed = tasks.enqueue("send_email", new Email("later@example.com", "Hi"),
					TaskOptions.notBefore(notBefore));
			assertThat(tasks.status(delayed.id()).state()).isEqualTo(TaskState.SCHEDULED);
			tasks.awaitResult(delayed.id(), String.class, Duration.ofSeconds(10));
			Instant ran = context.getBean(SeedHandlers.class).emailTimes.get(0);
			assertThat(ran).isAfterOrEqualTo(notBefore);
			assertThat(Duration.between(notBefore, ran)).isLessThan(Duration.ofMillis(1500));
			assertThat(tasks.status(delayed.id()).attempts()).isEqualTo(1);
		});
	}

	@Test
	void higherPrioritiesRunFirst() {
		this.contextRunner.withBean(Ordered.class).run((context) -> {
			TaskWorkerRegistry registry = context.getBean(TaskWorkerRegistry.class);
			registry.stop();
			TaskQueue tasks = context.getBean(TaskQueue.class);
			for (TaskPriority priority : List.of(TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.HIGH)) {
				for (int i = 0; i < 5; i++) {
					tasks.enqueue("step", priority.token(), TaskOptions.priority(priority));
				}
			}
			registry.start();
			Ordered ordered = context.getBean(Ordered.class);
			await().until(() -> ordered.handled.size() == 15);
			List<String> handled = List.copyOf(ordered.handled);
			assertThat(handled.subList(0, handled.lastIndexOf("high"))).doesNotContain("normal");
			assertThat(handled.indexOf("normal")).isLessThan(handled.lastIndexOf("low"));
		});
	}

	@Test
	void aLongTaskWithHeartbeatsIsNotRedeliveredAndReportsProgress() {
		this.contextRunner.withBean(Slow.class).withPropertyValues("nats.task-queue.ack-wait=1s").run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Slow slow = context.getBean(Slow.class);
			TaskReceipt receipt = tasks.enqueue("crunch", "numbers");
			assertThat(slow.halfway.await(10, TimeUnit.SECONDS)).isTrue();
			await().until(() -> tasks.status(receipt.id()).progress() == 50);
			assertThat(tasks.status(receipt.id()).state()).isEqualTo(TaskState.RUNNING);
			assertThat(tasks.status(receipt.id()).progressNote()).isEqualTo("half way");
			slow.finish.countDown();
			assertThat(tasks.awaitResult(receipt.id(), Integer.class, Duration.ofSeconds(10))).isEqualTo(42);
			assertThat(slow.runs).hasValue(1);
		});
	}

	@Test
	void cancelRemovesADelayedTaskAndStopsARunningOne() throws Exception {
		this.contextRunner.withBean(SeedHandlers.class).withBean(Slow.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt delayed = tasks.enqueue("send_email", new Email("never@example.com", "Hi"),
					TaskOptions.delay(Duration.ofSeconds(2)));
			assertThat(tasks.cancel(delayed.id())).isTrue();
			assertThat(tasks.status(delayed.id()).state()).isEqualTo(TaskState.CANCELLED);
			assertThat(tasks.cancel(delayed.id())).isFalse();
			TaskReceipt running = tasks.enqueue("loop", "until-cancelled");
			Slow slow = context.getBean(Slow.class);
			assertThat(slow.looping.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(tasks.cancel(running.id())).isTrue();
			await().until(() -> slow.stoppedByCancel.get());
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> tasks.awaitResult(running.id(), String.class, Duration.ofSeconds(5)));
			Thread.sleep(2500);
			assertThat(context.getBean(SeedHandlers.class).emails).isEmpty();
			assertThat(tasks.cancel("unknown-task")).isFalse();
		});
	}

	@Test
	void aHandlerPastItsTimeoutFailsTheRun() {
		this.contextRunner.withBean(Slow.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt receipt = tasks.enqueue("stuck", "forever", TaskOptions.maxAttempts(1));
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(10)));
			assertThat(tasks.deadLetter(receipt.id()).exceptionClass()).isEqualTo(TaskTimeoutException.class.getName());
		});
	}

	@Test
	void aTaskPublishedByAPlainNatsClientRunsLikeAnEnqueuedOne() throws Exception {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			Connection plain = io.nats.client.Nats.connect(url);
			try {
				Headers headers = new Headers().put("Task-Id", "from-python-1")
					.put("Task-Type", "send_email")
					.put("Content-Type", "application/json");
				plain.jetStream()
					.publish(this.namespace + ".natsboot.tasks.default.normal.send_email", headers,
							"{\"to\":\"py@example.com\",\"subject\":\"Hi\"}".getBytes());
			}
			finally {
				plain.close();
			}
			TaskQueue tasks = context.getBean(TaskQueue.class);
			assertThat(tasks.awaitResult("from-python-1", String.class, Duration.ofSeconds(10)))
				.isEqualTo("sent to py@example.com");
			assertThat(tasks.status("from-python-1").state()).isEqualTo(TaskState.SUCCEEDED);
		});
	}

	@Test
	void badInputIsRefusedWithAClearMessageAndNothingIsStored() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.delay(Duration.ofSeconds(-1)))
				.withMessage("Task delay PT-1S is negative");
			assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.maxAttempts(0))
				.withMessage("Task maxAttempts must be at least 1, was 0");
			assertThatIllegalArgumentException().isThrownBy(() -> TaskOptions.id("a:b"))
				.withMessageContaining("Task id 'a:b' is invalid");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.enqueue("send email", "x"))
				.withMessageContaining("Task type 'send email' is invalid");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> tasks.enqueue("send_email", "x", TaskOptions.queue("a.b")))
				.withMessageContaining("Task queue 'a.b' is invalid");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.enqueue("send_email", null))
				.withMessage("The payload of task type 'send_email' is null");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> tasks.enqueue("send_email", "x", TaskOptions.header("Task-Id", "forged")))
				.withMessageContaining("Header 'Task-Id' of task type 'send_email' is reserved");
			assertThat(tasks.stats()).allSatisfy((stats) -> assertThat(stats.pending()).isZero());
		});
	}

	@Test
	void aTaskAlreadyAtItsMaxAttemptsGoesToDeadLettersWithoutRunning() {
		this.contextRunner.withBean(SeedHandlers.class).run((context) -> {
			TaskWorkerRegistry registry = context.getBean(TaskWorkerRegistry.class);
			registry.stop();
			TaskQueue tasks = context.getBean(TaskQueue.class);
			tasks.enqueue("send_email", new Email("crash@example.com", "Hi"),
					TaskOptions.id("crash-loop").maxAttempts(2));
			// two runs whose workers died before they finished
			registry.store().update("crash-loop", (status) -> status.started(2));
			registry.store().update("crash-loop", (status) -> status.started(2));
			registry.start();
			await().until(() -> tasks.deadLetter("crash-loop") != null);
			assertThat(tasks.deadLetter("crash-loop").exceptionClass()).isEqualTo(TaskDispatcher.ATTEMPTS_EXHAUSTED);
			assertThat(tasks.status("crash-loop").state()).isEqualTo(TaskState.DEAD);
			assertThat(tasks.status("crash-loop").attempts()).isEqualTo(2);
			assertThat(context.getBean(SeedHandlers.class).emails).isEmpty();
		});
	}

	@Test
	void runsAreTimedPerTaskTypeAndTheActuatorSectionShowsEachQueue() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(io.natsboot.autoconfigure.NatsMetricsAutoConfiguration.class,
					io.natsboot.autoconfigure.NatsEndpointAutoConfiguration.class))
			.withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
			.withBean(SeedHandlers.class)
			.withPropertyValues("management.endpoints.web.exposure.include=nats")
			.run((context) -> {
				TaskQueue tasks = context.getBean(TaskQueue.class);
				TaskReceipt receipt = tasks.enqueue("send_email", new Email("metrics@example.com", "Hi"));
				tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(10));
				io.micrometer.core.instrument.MeterRegistry meters = context
					.getBean(io.micrometer.core.instrument.MeterRegistry.class);
				await().untilAsserted(() -> assertThat(meters.get("nats.task")
					.tags("queue", "default", "type", "send_email", "outcome", "success")
					.timer()
					.count()).isEqualTo(1));
				assertThat(meters.get("nats.listener.consumer.pending").tag("listener", "tasks-default").gauge())
					.isNotNull();
				Object section = context.getBean(io.natsboot.actuate.TaskQueueEndpointContributor.class).describe();
				assertThat(section).asString().contains("queue=default").contains("succeeded=1").contains("worker=");
			});
	}

	@Test
	void theTaskWorkersHealthShowsEachQueuesWorker() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(io.natsboot.autoconfigure.NatsHealthContributorAutoConfiguration.class))
			.withBean(SeedHandlers.class)
			.run((context) -> {
				io.natsboot.actuate.TaskWorkersHealthIndicator health = context
					.getBean(io.natsboot.actuate.TaskWorkersHealthIndicator.class);
				await().until(() -> context.getBean(TaskWorkerRegistry.class)
					.getWorkerStatus("default")
					.state() == io.natsboot.jetstream.PullWorkerStatus.State.CONSUMING);
				org.springframework.boot.health.contributor.Health result = health.health(true);
				assertThat(result.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
				assertThat(result.getDetails()).containsKeys("default", "media");
				assertThat(result.getDetails().get("default").toString()).contains("consumer=" + this.namespace
						+ "_tasks_default_high," + this.namespace + "_tasks_default_normal");
			});
	}

	@Test
	void twoHandlersOfOneTypeInAQueueFailStartup() {
		this.contextRunner.withBean(SeedHandlers.class).withBean(DuplicateEmail.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasMessageContaining("Task type 'send_email' of queue 'default' has two handlers");
		});
	}

	record Email(String to, String subject) {
	}

	record Image(String name, int width) {
	}

	record Report(String month, int lines) {
	}

	static class SeedHandlers {

		final Queue<Email> emails = new ConcurrentLinkedQueue<>();

		final List<Instant> emailTimes = new CopyOnWriteArrayList<>();

		final List<Integer> reportProgress = new CopyOnWriteArrayList<>();

		@TaskHandler("send_email")
		String send(Email email) {
			this.emails.add(email);
			this.emailTimes.add(Instant.now());
			return "sent to " + email.to();
		}

		@TaskHandler(value = "resize_image", queue = "media", concurrency = "2")
		Image resize(Image image, @Header("Task-Type") String type) {
			assertThat(type).isEqualTo("resize_image");
			return new Image(image.name(), image.width() / 2);
		}

		@TaskHandler("build_report")
		Report report(Map<String, String> request, TaskContext context) {
			context.progress(50, "querying");
			this.reportProgress.add(50);
			return new Report(request.get("month"), 3);
		}

	}

	static class Flaky {

		final List<Long> poisonRuns = new CopyOnWriteArrayList<>();

		final Queue<String> good = new ConcurrentLinkedQueue<>();

		final AtomicInteger refusals = new AtomicInteger();

		volatile boolean healed;

		@TaskHandler("charge")
		String charge(String card) {
			if (card.equals("refuse")) {
				this.refusals.incrementAndGet();
				throw new NonRetryableTaskException("card refused for good");
			}
			if (card.equals("poison") && !this.healed) {
				this.poisonRuns.add(System.nanoTime());
				throw new IllegalStateException("card declined");
			}
			this.good.add(card);
			return "charged " + card;
		}

	}

	static class Ordered {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		@TaskHandler("step")
		void step(String priority) {
			this.handled.add(priority);
		}

	}

	static class Slow {

		final CountDownLatch halfway = new CountDownLatch(1);

		final CountDownLatch finish = new CountDownLatch(1);

		final CountDownLatch looping = new CountDownLatch(1);

		final AtomicInteger runs = new AtomicInteger();

		final java.util.concurrent.atomic.AtomicBoolean stoppedByCancel = new java.util.concurrent.atomic.AtomicBoolean();

		@TaskHandler("crunch")
		int crunch(String what, TaskContext context) throws InterruptedException {
			this.runs.incrementAndGet();
			Thread.sleep(1500);
			context.progress(50, "half way");
			this.halfway.countDown();
			this.finish.await(20, TimeUnit.SECONDS);
			return 42;
		}

		@TaskHandler("loop")
		String loop(String what, TaskContext context) throws InterruptedException {
			this.looping.countDown();
			while (!context.isCancelled()) {
				Thread.sleep(50);
			}
			this.stoppedByCancel.set(true);
			return "stopped";
		}

		@TaskHandler(value = "stuck", timeout = "300ms")
		String stuck(String what) throws InterruptedException {
			Thread.sleep(10_000);
			return "never";
		}

	}

	static class DuplicateEmail {

		@TaskHandler("send_email")
		void again(Email email) {
		}

	}

}
