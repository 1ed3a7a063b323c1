package io.natsboot.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.annotation.TaskHandler;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What each tracking level records and promises, the first run's single write,
 * {@code enqueueAll}, and a result that is always there once {@code SUCCEEDED} is
 * visible. Queue {@code r} records results only, queue {@code n} nothing, the default
 * queue everything.
 */
@WithNatsServer
class TaskTrackingTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "k" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = TaskQueueContexts.runner(url, this.namespace)
		.withPropertyValues("nats.drain-timeout=2s", "nats.task-queue.retry.initial-interval=100ms",
				"nats.task-queue.retry.jitter=0", "nats.task-queue.queues.r.tracking=results",
				"nats.task-queue.queues.n.tracking=none");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void aResultsTaskHasNoStatusUntilItEndsThenItsResult() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Handlers handlers = context.getBean(Handlers.class);
			TaskReceipt receipt = tasks.enqueue("hold", "r-1", TaskOptions.queue("r"));
			assertThat(handlers.holding.await(10, TimeUnit.SECONDS)).isTrue();
			// running, yet nothing recorded, and nothing to cancel
			assertThat(tasks.status(receipt.id())).isNull();
			assertThat(tasks.cancel(receipt.id())).isFalse();
			handlers.release.countDown();
			assertThat(tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(10))).isEqualTo("held r-1");
			TaskStatus status = tasks.status(receipt.id());
			assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
			assertThat(status.attempts()).isEqualTo(1);
			assertThat(status.queue()).isEqualTo("r");
			assertThat(status.progress()).isEqualTo(100);
		});
	}

	@Test
	void aFailingResultsTaskIsRetriedFromItsDeliveriesThenEndsDeadWithItsDeadLetter() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt receipt = tasks.enqueue("fail", "r-2", TaskOptions.queue("r").maxAttempts(3));
			assertThatExceptionOfType(TaskFailedException.class)
				.isThrownBy(() -> tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(15)))
				.satisfies((ex) -> assertThat(ex.getStatus().state()).isEqualTo(TaskState.DEAD));
			assertThat(context.getBean(Handlers.class).attempts.get("r-2")).containsExactly(1, 2, 3);
			DeadTask dead = tasks.deadLetter(receipt.id());
			assertThat(dead.attempts()).isEqualTo(3);
			assertThat(dead.queue()).isEqualTo("r");
			assertThat(tasks.status(receipt.id()).lastError()).contains("declined r-2");
		});
	}

	@Test
	void aNoneTaskRecordsNothingYetIsRetriedKeptAsADeadLetterAndRequeued() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Handlers handlers = context.getBean(Handlers.class);
			TaskReceipt done = tasks.enqueue("echo", "n-1", TaskOptions.queue("n"));
			TaskReceipt failing = tasks.enqueue("fail", "n-2", TaskOptions.queue("n").maxAttempts(2));
			await().until(() -> handlers.echoed.contains("n-1"));
			await().until(() -> tasks.deadLetter(failing.id()) != null);
			assertThat(handlers.attempts.get("n-2")).containsExactly(1, 2);
			assertThat(tasks.status(done.id())).isNull();
			assertThat(tasks.result(done.id(), String.class)).isNull();
			assertThat(tasks.status(failing.id())).isNull();
			assertThat(tasks.cancel(failing.id())).isFalse();
			assertThat(tasks.deadLetter(failing.id()).attempts()).isEqualTo(2);
			handlers.healed.set(true);
			tasks.requeue(failing.id());
			await().until(() -> handlers.echoed.contains("n-2"));
			assertThat(tasks.deadLetter(failing.id())).isNull();
			assertThat(tasks.status(failing.id())).isNull();
		});
	}

	@Test
	void aFullTaskCarriesTheRevisionOfTheStatusItsEnqueueCreatedAndItsRunLearnsItsSequence() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskWorkerRegistry.class).stop();
			TaskReceipt receipt = tasks.enqueue("revision", "f-1");
			TaskStatus pending = tasks.status(receipt.id());
			assertThat(pending.state()).isEqualTo(TaskState.PENDING);
			// written before the task was stored
			assertThat(pending.streamSequence()).isZero();
			context.getBean(TaskWorkerRegistry.class).start();
			assertThat(tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(10))).isEqualTo("f-1");
			assertThat(handlers.revisions).singleElement().satisfies((revision) -> assertThat(revision).isPositive());
			TaskStatus status = tasks.status(receipt.id());
			assertThat(status.attempts()).isEqualTo(1);
			assertThat(status.streamSequence()).isEqualTo(receipt.streamSequence());
			assertThat(status.enqueuedAt()).isNotNull();
		});
	}

	@Test
	void aCancelledTaskThatNoWorkerReceivedYetNeverRuns() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			context.getBean(TaskWorkerRegistry.class).stop();
			TaskReceipt cancelled = tasks.enqueue("echo", "c-1");
			TaskReceipt kept = tasks.enqueue("echo", "c-2");
			assertThat(tasks.cancel(cancelled.id())).isTrue();
			context.getBean(TaskWorkerRegistry.class).start();
			assertThat(tasks.awaitResult(kept.id(), String.class, Duration.ofSeconds(10))).isEqualTo("c-2");
			assertThat(context.getBean(Handlers.class).echoed).containsExactly("c-2");
			assertThat(tasks.status(cancelled.id()).state()).isEqualTo(TaskState.CANCELLED);
		});
	}

	@ParameterizedTest
	@EnumSource(value = TaskTracking.class, names = { "FULL", "NONE" })
	void enqueueAllReturnsReceiptsInOrderAndEveryTaskRuns(TaskTracking tracking) {
		String queue = (tracking == TaskTracking.FULL) ? "default" : "n";
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			List<TaskRequest> batch = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				batch.add(TaskRequest.of("echo", "b-" + i, TaskOptions.queue(queue).id("b-" + i)));
			}
			List<TaskReceipt> receipts = tasks.enqueueAll(batch);
			assertThat(receipts).hasSize(200);
			for (int i = 0; i < 200; i++) {
				assertThat(receipts.get(i).id()).isEqualTo("b-" + i);
				assertThat(receipts.get(i).duplicate()).isFalse();
			}
			assertThat(receipts).extracting(TaskReceipt::streamSequence).doesNotHaveDuplicates();
			Handlers handlers = context.getBean(Handlers.class);
			await().until(() -> handlers.echoed.size() == 200);
			assertThat(Set.copyOf(handlers.echoed)).hasSize(200);
			// the same ids again within the duplicate window: nothing new
			assertThat(tasks.enqueueAll(batch.subList(0, 3)))
				.allSatisfy((receipt) -> assertThat(receipt.duplicate()).isTrue());
			if (tracking == TaskTracking.FULL) {
				assertThat(tasks.status("b-199").state()).isEqualTo(TaskState.SUCCEEDED);
			}
			else {
				assertThat(tasks.status("b-199")).isNull();
			}
		});
	}

	@Test
	void enqueueAllEnqueuesTheGoodTasksOfABatchAndNamesTheBadOne() {
		this.contextRunner.withBean(Handlers.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			List<TaskRequest> batch = List.of(TaskRequest.of("echo", "g-0"), TaskRequest.of("echo", "g-1"),
					TaskRequest.of("bad type!", "g-2"), TaskRequest.of("echo", "g-3"));
			assertThatExceptionOfType(TaskBatchException.class).isThrownBy(() -> tasks.enqueueAll(batch))
				.satisfies((ex) -> {
					assertThat(ex.getMessage()).contains("1 of 4 tasks", "task 2", "'bad type!'");
					assertThat(ex.getFailures()).singleElement()
						.satisfies((failure) -> assertThat(failure.exception())
							.isInstanceOf(IllegalArgumentException.class));
					assertThat(ex.getReceipts()).hasSize(4);
					assertThat(ex.getReceipts().get(2)).isNull();
					assertThat(ex.getReceipts().get(3)).isNotNull();
				});
			Handlers handlers = context.getBean(Handlers.class);
			await().until(() -> handlers.echoed.size() == 3);
			assertThat(handlers.echoed).containsExactlyInAnyOrder("g-0", "g-1", "g-3");
		});
	}

	@ParameterizedTest
	@EnumSource(value = TaskTracking.class, names = { "FULL", "RESULTS" })
	void aSucceededStatusIsNeverVisibleWithoutItsResult(TaskTracking tracking) throws Exception {
		String queue = (tracking == TaskTracking.FULL) ? "default" : "r";
		this.contextRunner.withBean(Handlers.class)
			.withPropertyValues("nats.task-queue.concurrency=4")
			.run((context) -> {
				TaskQueue tasks = context.getBean(TaskQueue.class);
				int count = 300;
				List<TaskRequest> batch = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					batch.add(TaskRequest.of("echo", "s-" + i, TaskOptions.queue(queue).id("s-" + i)));
				}
				AtomicBoolean watching = new AtomicBoolean(true);
				AtomicInteger seenSucceeded = new AtomicInteger();
				List<String> withoutResult = new java.util.concurrent.CopyOnWriteArrayList<>();
				Thread watcher = new Thread(() -> {
					while (watching.get()) {
						for (int i = 0; i < count; i += 7) {
							String id = "s-" + i;
							TaskStatus status = tasks.status(id);
							if (status != null && status.state() == TaskState.SUCCEEDED) {
								seenSucceeded.incrementAndGet();
								if (tasks.result(id, String.class) == null) {
									withoutResult.add(id);
								}
							}
						}
					}
				});
				watcher.start();
				tasks.enqueueAll(batch);
				Handlers handlers = context.getBean(Handlers.class);
				await().until(() -> handlers.echoed.size() == count);
				await().until(() -> tasks.status("s-" + (count - 1)) != null
						&& tasks.status("s-" + (count - 1)).state() == TaskState.SUCCEEDED);
				watching.set(false);
				watcher.join(10_000);
				assertThat(seenSucceeded.get()).isPositive();
				assertThat(withoutResult).isEmpty();
			});
	}

	static class Handlers {

		final CountDownLatch holding = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> echoed = new java.util.concurrent.CopyOnWriteArrayList<>();

		final Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();

		final List<Long> revisions = new java.util.concurrent.CopyOnWriteArrayList<>();

		final AtomicBoolean healed = new AtomicBoolean();

		@TaskHandler(value = "hold", queue = "r")
		String hold(String name) throws InterruptedException {
			this.holding.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return "held " + name;
		}

		@TaskHandler("echo")
		String echo(String name) {
			this.echoed.add(name);
			return name;
		}

		@TaskHandler(value = "echo", queue = "r")
		String echoResults(String name) {
			return echo(name);
		}

		@TaskHandler(value = "echo", queue = "n")
		String echoNone(String name) {
			return echo(name);
		}

		@TaskHandler(value = "fail", queue = "r")
		String failResults(String name, TaskContext context) {
			return fail(name, context);
		}

		@TaskHandler(value = "fail", queue = "n")
		String fail(String name, TaskContext context) {
			this.attempts.computeIfAbsent(name, (key) -> new java.util.concurrent.CopyOnWriteArrayList<>())
				.add(context.attempt());
			if (this.healed.get()) {
				this.echoed.add(name);
				return name;
			}
			throw new IllegalStateException("declined " + name);
		}

		@TaskHandler("revision")
		String revision(String name, @Header(TaskWireFormat.STATUS_REVISION_HEADER) String revision) {
			this.revisions.add(Long.parseLong(revision));
			return name;
		}

	}

}
