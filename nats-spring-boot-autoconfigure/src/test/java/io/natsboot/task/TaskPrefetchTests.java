package io.natsboot.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.annotation.TaskHandler;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's prefetch: tasks it holds beyond its busy handler wait without losing their
 * ack wait, and a stopping worker gives them back at once.
 */
@WithNatsServer
class TaskPrefetchTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "pf" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = TaskQueueContexts.runner(url, this.namespace)
		.withPropertyValues("nats.drain-timeout=1s");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void tasksHeldBehindABusyHandlerOutwaitTheAckWaitAndRunOnce() {
		// ten tasks of 300 ms behind one handler: the last waits about three ack waits
		this.contextRunner.withBean(Slow.class)
			.withPropertyValues("nats.task-queue.ack-wait=1s", "nats.task-queue.queues.default.prefetch=10")
			.run((context) -> {
				TaskQueue tasks = context.getBean(TaskQueue.class);
				Slow slow = context.getBean(Slow.class);
				tasks.enqueueAll(requests(10));
				// held by this worker while its one handler is busy
				await().until(() -> running(tasks) >= 5);
				await().atMost(Duration.ofSeconds(30)).until(() -> slow.runs.size() == 10);
				assertThat(slow.runs).doesNotHaveDuplicates();
				assertThat(slow.deliveries.values()).containsOnly(1L);
				await().until(() -> tasks.status("t-9").state() == TaskState.SUCCEEDED);
				assertThat(tasks.status("t-9").attempts()).isEqualTo(1);
			});
	}

	@Test
	void aStoppingWorkerGivesBackTheTasksItHoldsAtOnce() {
		Slow first = new Slow();
		// the ack wait is far longer than this test waits: only a give-back explains the
		// second worker getting the held tasks
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("nats.task-queue.ack-wait=60s",
				"nats.task-queue.queues.default.prefetch=20");
		runner.withBean(Slow.class, () -> first).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			tasks.enqueueAll(requests(20));
			await().until(() -> !first.runs.isEmpty() && running(tasks) >= 10);
		});
		int ranFirst = first.runs.size();
		assertThat(ranFirst).isLessThan(20);
		Slow second = new Slow();
		runner.withBean(Slow.class, () -> second).run((context) -> {
			await().atMost(Duration.ofSeconds(30)).until(() -> first.runs.size() + second.runs.size() == 20);
			List<String> all = new ArrayList<>(first.runs);
			all.addAll(second.runs);
			assertThat(all).doesNotHaveDuplicates();
			assertThat(second.deliveries.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(2L));
			TaskQueue tasks = context.getBean(TaskQueue.class);
			await().until(() -> tasks.status("t-19").state() == TaskState.SUCCEEDED);
		});
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aTaskGivenBackAtStopRunsOnTheNextWorkerEvenWithOneAttempt(TaskTracking tracking) {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("nats.drain-timeout=500ms",
				"nats.task-queue.queues.default.tracking=" + tracking.token());
		Holding first = new Holding(true);
		runner.withBean(Holding.class, () -> first).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			tasks.enqueue("hold", "running", TaskOptions.id("running").maxAttempts(1));
			await().until(() -> first.started.contains("running"));
			tasks.enqueue("hold", "waiting", TaskOptions.id("waiting").maxAttempts(1));
			// held behind the busy handler, then given back by the stop
			await().until(() -> running(tasks) == 2);
		});
		Holding second = new Holding(false);
		runner.withBean(Holding.class, () -> second).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> second.finished.size() == 2);
			assertThat(second.finished).containsExactlyInAnyOrder("running", "waiting");
			assertThat(tasks.deadLetters()).isEmpty();
			if (tracking != TaskTracking.NONE) {
				await().until(() -> tasks.status("waiting") != null
						&& tasks.status("waiting").state() == TaskState.SUCCEEDED);
			}
		});
		assertThat(first.finished).isEmpty();
	}

	private static long running(TaskQueue tasks) {
		return tasks.stats()
			.stream()
			.filter((stats) -> stats.queue().equals("default"))
			.mapToLong(TaskQueueStats::running)
			.sum();
	}

	private static List<TaskRequest> requests(int count) {
		List<TaskRequest> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			requests.add(TaskRequest.of("slow", "t-" + i, TaskOptions.id("t-" + i)));
		}
		return requests;
	}

	static class Holding {

		final List<String> started = new CopyOnWriteArrayList<>();

		final List<String> finished = new CopyOnWriteArrayList<>();

		private final boolean hold;

		Holding(boolean hold) {
			this.hold = hold;
		}

		@TaskHandler("hold")
		String hold(String name) throws InterruptedException {
			this.started.add(name);
			if (this.hold) {
				// until the stop interrupts it
				Thread.sleep(60_000);
			}
			this.finished.add(name);
			return name;
		}

	}

	static class Slow {

		final List<String> runs = new CopyOnWriteArrayList<>();

		final Map<String, Long> deliveries = new ConcurrentHashMap<>();

		@TaskHandler("slow")
		void slow(String name, JetStreamMessage message) throws InterruptedException {
			Thread.sleep(300);
			this.deliveries.merge(name, message.deliveredCount(), Math::max);
			this.runs.add(name);
		}

	}

}
