package io.natsboot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.task.TaskState;
import io.natsboot.task.TaskStatus;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task queue on a 3-node JetStream cluster with R3 streams and buckets: a stream
 * leader that dies under load, a status bucket that elects a new leader while tasks
 * finish, and a rolling restart. Each test has a namespace of its own, and brings back
 * every node it killed.
 */
class TaskQueueClusterTests extends ClusterTestSupport {

	private final ApplicationContextRunner contextRunner = contextRunner(NatsAutoConfiguration.class,
			NatsTaskQueueAutoConfiguration.class)
		.withPropertyValues("nats.task-queue.retry.initial-interval=200ms", "nats.task-queue.retry.jitter=0");

	TaskQueueClusterTests() {
		super("tq");
	}

	@Test
	void everyTaskSucceedsWhenTheStreamLeaderDiesUnderTwoInstancesAndEnqueueNeedsNoRetry() {
		this.contextRunner.withBean(Counting.class)
			.run((first) -> this.contextRunner.withBean(Counting.class).run((second) -> {
				TaskQueue tasks = first.getBean(TaskQueue.class);
				Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
				first.getBean(Counting.class).runs = runs;
				second.getBean(Counting.class).runs = runs;
				List<String> ids = new CopyOnWriteArrayList<>();
				List<Throwable> enqueueFailures = new CopyOnWriteArrayList<>();
				Thread producer = new Thread(() -> {
					for (int i = 0; i < 1000; i++) {
						try {
							ids.add(tasks.enqueue("count", "task-" + i).id());
						}
						catch (RuntimeException ex) {
							enqueueFailures.add(ex);
						}
					}
				});
				producer.start();
				await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() >= 300);

				NatsServerProcess leader = cluster.leaderOf(this.namespace + "_TASKS");
				kill(leader);

				producer.join(TimeUnit.MINUTES.toMillis(2));
				assertThat(enqueueFailures).as("enqueues that failed during the fail-over").isEmpty();
				assertThat(ids).hasSize(1000);
				await().atMost(Duration.ofMinutes(2)).until(() -> runs.size() == 1000);
				for (String id : ids) {
					await().pollDelay(Duration.ZERO)
						.atMost(Duration.ofSeconds(30))
						.until(() -> state(tasks, id) == TaskState.SUCCEEDED);
					assertThat(tasks.result(id, String.class)).startsWith("done task-");
				}
				long extraRuns = runs.values().stream().mapToInt(AtomicInteger::get).sum() - 1000;
				System.out.println("Stream leader killed under 1,000 tasks on two instances: " + extraRuns
						+ " task(s) ran more than once");
				assertThat(extraRuns).isLessThan(100);
			}));
	}

	@Test
	void aTaskThatFinishesWhileTheStatusBucketElectsALeaderEndsSucceeded() {
		this.contextRunner.withBean(Gated.class).withPropertyValues("nats.task-queue.concurrency=5").run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Gated gated = context.getBean(Gated.class);
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				ids.add(tasks.enqueue("gated", "g" + i).id());
			}
			assertThat(gated.started.await(30, TimeUnit.SECONDS)).isTrue();

			kill(cluster.leaderOf("KV_" + this.namespace + "_TASK_STATUS"));
			// the handlers finish while the bucket has no leader
			gated.release.countDown();

			for (String id : ids) {
				assertThat(tasks.awaitResult(id, String.class, Duration.ofSeconds(90))).startsWith("opened g");
				assertThat(state(tasks, id)).isEqualTo(TaskState.SUCCEEDED);
			}
			assertThat(gated.runs.get()).isEqualTo(5);
		});
	}

	@Test
	void enqueueAsyncRidesOutAnElectionOfTheTaskStream() {
		this.contextRunner.withBean(Counting.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			tasks.awaitResult(tasks.enqueue("count", "warm-up").id(), String.class, Duration.ofSeconds(30));
			kill(cluster.leaderOf(this.namespace + "_TASKS"));
			List<CompletableFuture<TaskReceipt>> receipts = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				receipts.add(tasks.enqueueAsync("count", "async-" + i, TaskOptions.queue("default")));
			}
			for (CompletableFuture<TaskReceipt> receipt : receipts) {
				TaskReceipt enqueued = receipt.get(60, TimeUnit.SECONDS);
				assertThat(enqueued.duplicate()).isFalse();
				assertThat(tasks.awaitResult(enqueued.id(), String.class, Duration.ofSeconds(60)))
					.startsWith("done async-");
			}
		});
	}

	@Test
	void aRollingRestartOfEveryNodeCompletesATaskBatchAfterEachStep() {
		this.contextRunner.withBean(Counting.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
			context.getBean(Counting.class).runs = runs;
			for (NatsServerProcess node : cluster.nodes()) {
				cluster.restart(node);
				List<String> ids = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					ids.add(tasks.enqueue("count", node.serverName() + "-" + i, TaskOptions.queue("default")).id());
				}
				for (String id : ids) {
					assertThat(tasks.awaitResult(id, String.class, Duration.ofSeconds(60))).startsWith("done ");
				}
			}
			assertThat(runs).hasSize(150);
		});
	}

	private static TaskState state(TaskQueue tasks, String id) {
		try {
			TaskStatus status = tasks.status(id);
			return (status != null) ? status.state() : null;
		}
		catch (RuntimeException ex) {
			return null; // an election: read again
		}
	}

	static class Counting {

		volatile Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		@TaskHandler("count")
		String count(String payload) {
			this.runs.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
			return "done " + payload;
		}

	}

	static class Gated {

		final CountDownLatch started = new CountDownLatch(5);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger runs = new AtomicInteger();

		@TaskHandler("gated")
		String open(String payload) throws InterruptedException {
			this.runs.incrementAndGet();
			this.started.countDown();
			this.release.await();
			return "opened " + payload;
		}

	}

}
