package io.natsboot.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task workers of two application instances on one queue, at each tracking level, and
 * what happens when a worker dies (once, or on every run), shuts down or the server
 * restarts: every task runs, none is lost, none runs twice unless a worker died with it,
 * and each level records what it promises: {@code full} every state, {@code results} only
 * the end, {@code none} nothing (its runs are seen through the handler's own record).
 */
class TaskWorkerResilienceTests {

	/** Runs started per task id across the instances of a test. */
	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	static final Map<String, Set<String>> runsByInstance = new ConcurrentHashMap<>();

	/** The attempt of each task's run that returned, by task id. */
	static final Map<String, Integer> finished = new ConcurrentHashMap<>();

	/** The state of each task's status as its latest run saw it (empty: no status). */
	static final Map<String, Optional<TaskState>> seenWhileRunning = new ConcurrentHashMap<>();

	/** Open while handlers of the instances named "a..." hold their task. */
	static volatile CountDownLatch holdOnA = new CountDownLatch(0);

	/** Counted down when a handler of an instance named "a..." holds its task. */
	static volatile CountDownLatch held = new CountDownLatch(0);

	private final NatsServerProcess server = NatsServerProcess.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
		.withBean(Worker.class)
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.startup=fail", "nats.reconnect.wait=100ms",
				"nats.task-queue.concurrency=4", "nats.task-queue.retry.initial-interval=100ms");

	@AfterEach
	void reset() {
		runs.clear();
		runsByInstance.clear();
		finished.clear();
		seenWhileRunning.clear();
		holdOnA.countDown();
		holdOnA = new CountDownLatch(0);
		held = new CountDownLatch(0);
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void twoInstancesShare2000TasksAndRunEachOnce(TaskTracking tracking) {
		this.server.start();
		ApplicationContextRunner runner = at(tracking);
		runner.withPropertyValues("instance=a").run((a) -> runner.withPropertyValues("instance=b").run((b) -> {
			TaskQueue tasks = a.getBean(TaskQueue.class);
			List<String> ids = new ArrayList<>();
			List<TaskRequest> requests = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				ids.add("task-" + i);
				requests.add(TaskRequest.of("work", "task-" + i, TaskOptions.id("task-" + i)));
			}
			tasks.enqueueAll(requests);
			await().atMost(Duration.ofSeconds(60)).until(() -> finished.size() == 2000);
			Map<String, TaskStatus> ends = awaitEnded(tasks, tracking, ids);
			Thread.sleep(500);
			assertThat(runs).hasSize(2000);
			assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
			assertThat(finished.values()).allSatisfy((attempt) -> assertThat(attempt).isEqualTo(1));
			assertThat(runsByInstance.get("a")).isNotEmpty();
			assertThat(runsByInstance.get("b")).isNotEmpty();
			assertSeenWhileRunning(tracking, ids);
			for (String id : ids) {
				if (tracking == TaskTracking.NONE) {
					assertThat(tasks.status(id)).as("status of %s", id).isNull();
				}
				else {
					assertThat(ends.get(id).attempts()).as("attempts of %s", id).isEqualTo(1);
					assertThat(tasks.result(id, String.class)).isEqualTo("done " + id);
				}
			}
			assertThat(tasks.deadLetters()).isEmpty();
		}));
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aTaskWhoseWorkerDiesRunsToTheEndOnAnotherWorker(TaskTracking tracking) throws Exception {
		this.server.start();
		holdOnA = new CountDownLatch(1);
		held = new CountDownLatch(1);
		ApplicationContextRunner shortAckWait = at(tracking).withPropertyValues("nats.task-queue.ack-wait=2s");
		shortAckWait.withPropertyValues("instance=b").run((b) -> {
			b.getBean(TaskWorkerRegistry.class).stop(); // b waits until a has the task
			ConfigurableApplicationContext a = startInstance(shortAckWait, "a");
			try {
				TaskQueue tasks = b.getBean(TaskQueue.class);
				tasks.enqueue("work", "doomed", TaskOptions.id("doomed"));
				assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
				assertRunning(tasks, tracking, "doomed", 1);
				// a dies: its connection is gone without an ack, as when the process is
				// killed
				a.getBean(Connection.class).close();
				b.getBean(TaskWorkerRegistry.class).start();
				// at-least-once: its delivery to b is its second attempt at every level
				assertRanToTheEnd(tasks, tracking, "doomed", 2, Duration.ofSeconds(20));
				assertThat(runsByInstance.get("b")).contains("doomed");
				assertThat(runs.get("doomed")).hasValue(2);
			}
			finally {
				holdOnA.countDown();
				a.close();
			}
		});
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aGracefulShutdownReleasesItsRunningTaskToAnotherWorkerAtOnce(TaskTracking tracking) throws Exception {
		this.server.start();
		holdOnA = new CountDownLatch(1);
		held = new CountDownLatch(1);
		ApplicationContextRunner quickDrain = at(tracking).withPropertyValues("nats.drain-timeout=500ms");
		quickDrain.withPropertyValues("instance=b").run((b) -> {
			b.getBean(TaskWorkerRegistry.class).stop();
			ConfigurableApplicationContext a = startInstance(quickDrain, "a");
			try {
				TaskQueue tasks = b.getBean(TaskQueue.class);
				tasks.enqueue("work", "released", TaskOptions.id("released"));
				assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
				assertRunning(tasks, tracking, "released", 1);
				b.getBean(TaskWorkerRegistry.class).start();
				a.close();
				// released with a nak, long before the 30 s ack wait: full gives the
				// released run's attempt back, the other levels count attempts from
				// deliveries, so the release costs one
				assertRanToTheEnd(tasks, tracking, "released", (tracking == TaskTracking.FULL) ? 1 : 2,
						Duration.ofSeconds(10));
				assertThat(runsByInstance.get("b")).contains("released");
			}
			finally {
				a.close();
			}
		});
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aServerRestartInTheMiddleOfARunLosesNoTask(TaskTracking tracking) {
		this.server.start();
		// a request the restart swallowed (a run's read of its status) is repeated
		// after 1 s rather than 5
		at(tracking).withPropertyValues("instance=a", "nats.jetstream.api-timeout=1s").run((a) -> {
			TaskQueue tasks = a.getBean(TaskQueue.class);
			List<String> ids = new ArrayList<>();
			List<TaskRequest> requests = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				ids.add("slow-" + i);
				requests.add(TaskRequest.of("work", "slow-" + i, TaskOptions.id("slow-" + i)));
			}
			// all at once, so that most are still to run when the server goes
			tasks.enqueueAll(requests);
			await().until(() -> runs.size() >= 50);
			assertThat(finished).as("tasks run before the restart").hasSizeLessThan(300);
			this.server.kill();
			this.server.start();
			await().atMost(Duration.ofSeconds(90)).until(() -> finished.size() == 300);
			awaitEnded(tasks, tracking, ids);
			assertSeenWhileRunning(tracking, ids);
			for (String id : ids) {
				if (tracking == TaskTracking.NONE) {
					assertThat(tasks.status(id)).as("status of %s", id).isNull();
				}
				else {
					assertThat(tasks.result(id, String.class)).isEqualTo("done " + id);
				}
			}
		});
	}

	/**
	 * A task whose worker dies on every run (a crash loop) ends as a dead letter and
	 * never runs again: after its max attempts counted in the status at {@code full}
	 * (which ends {@code DEAD}), after twice as many deliveries at the other levels
	 * ({@code results} records {@code DEAD}, {@code none} nothing).
	 */
	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aTaskWhoseWorkerDiesOnEveryRunEndsAsADeadLetterAfterItsMaxAttempts(TaskTracking tracking) throws Exception {
		this.server.start();
		holdOnA = new CountDownLatch(1);
		ApplicationContextRunner shortAckWait = at(tracking).withPropertyValues("nats.task-queue.ack-wait=2s");
		shortAckWait.withPropertyValues("instance=b").run((b) -> {
			b.getBean(TaskWorkerRegistry.class).stop(); // b waits until both runs died
			TaskQueue tasks = b.getBean(TaskQueue.class);
			tasks.enqueue("work", "crashing", TaskOptions.id("crashing").maxAttempts(2));
			List<ConfigurableApplicationContext> dead = new ArrayList<>();
			// attempts counted from deliveries allow twice as many: a delivery may be a
			// stopping worker's give-back
			int deaths = (tracking == TaskTracking.FULL) ? 2 : TaskDispatcher.crashLoopCap(2);
			try {
				// each run's worker dies: its connection is gone without an ack
				for (int attempt = 1; attempt <= deaths; attempt++) {
					held = new CountDownLatch(1);
					ConfigurableApplicationContext a = startInstance(shortAckWait, "a" + attempt);
					dead.add(a);
					assertThat(held.await(15, TimeUnit.SECONDS)).as("run %d started", attempt).isTrue();
					assertRunning(tasks, tracking, "crashing", attempt);
					a.getBean(Connection.class).close();
				}
				b.getBean(TaskWorkerRegistry.class).start();
				await().atMost(Duration.ofSeconds(20)).until(() -> tasks.deadLetter("crashing") != null);
				DeadTask deadTask = tasks.deadLetter("crashing");
				assertThat(deadTask.exceptionClass()).isEqualTo(TaskDispatcher.ATTEMPTS_EXHAUSTED);
				assertThat(deadTask.attempts()).isEqualTo(deaths);
				assertThat(runs.get("crashing")).hasValue(deaths);
				assertThat(runsByInstance).doesNotContainKey("b");
				assertThat(finished).doesNotContainKey("crashing");
				// the dead letter is stored before the status says DEAD
				int attempts = deaths;
				await().untilAsserted(() -> assertEndedDead(tasks, tracking, "crashing", attempts));
			}
			finally {
				holdOnA.countDown();
				dead.forEach(ConfigurableApplicationContext::close);
			}
		});
	}

	/**
	 * What a dead task's level shows of it: {@code full} and {@code results} a
	 * {@code DEAD} status with the attempts it had and no result, {@code none} nothing.
	 */
	private static void assertEndedDead(TaskQueue tasks, TaskTracking tracking, String id, int attempts) {
		TaskStatus status = tasks.status(id);
		if (tracking == TaskTracking.NONE) {
			assertThat(status).as("status of %s", id).isNull();
			return;
		}
		assertThat(status.state()).isEqualTo(TaskState.DEAD);
		assertThat(status.attempts()).as("attempts of %s", id).isEqualTo(attempts);
		assertThat(tasks.result(id, String.class)).as("result of %s", id).isNull();
	}

	/** The runner whose instances enqueue and work at the given tracking level. */
	private ApplicationContextRunner at(TaskTracking tracking) {
		return this.contextRunner.withPropertyValues("nats.task-queue.queues.default.tracking=" + tracking.token());
	}

	/**
	 * What a running task's level shows of it: {@code full} its run, the others no status
	 * at all.
	 */
	private static void assertRunning(TaskQueue tasks, TaskTracking tracking, String id, int attempt) {
		TaskStatus status = tasks.status(id);
		if (tracking == TaskTracking.FULL) {
			assertThat(status.state()).isEqualTo(TaskState.RUNNING);
			assertThat(status.attempts()).isEqualTo(attempt);
		}
		else {
			assertThat(status).as("status of %s while it runs", id).isNull();
			assertThat(seenWhileRunning.get(id)).as("status of %s as its run saw it", id).isEmpty();
		}
	}

	/**
	 * Waits until every task has ended as its level records it: {@code SUCCEEDED} in the
	 * status, or (at {@code none}) its run returned.
	 * @return the final statuses by task id (none at {@code none})
	 */
	private static Map<String, TaskStatus> awaitEnded(TaskQueue tasks, TaskTracking tracking, List<String> ids) {
		Map<String, TaskStatus> ends = new ConcurrentHashMap<>();
		Set<String> open = new HashSet<>(ids);
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			open.removeIf(
					(id) -> (tracking == TaskTracking.NONE) ? finished.containsKey(id) : succeeded(tasks, id, ends));
			return open.isEmpty();
		});
		return ends;
	}

	private static boolean succeeded(TaskQueue tasks, String id, Map<String, TaskStatus> ends) {
		TaskStatus status = tasks.status(id);
		if (status == null || status.state() != TaskState.SUCCEEDED) {
			return false;
		}
		ends.put(id, status);
		return true;
	}

	/**
	 * What the runs of many tasks saw of their status: {@code RUNNING} at {@code full},
	 * nothing at the other levels, where a run again (at-least-once: a restart lost the
	 * acknowledgement of the run before) may find the end that run stored.
	 */
	private static void assertSeenWhileRunning(TaskTracking tracking, List<String> ids) {
		for (String id : ids) {
			Optional<TaskState> seen = seenWhileRunning.get(id);
			if (tracking == TaskTracking.FULL) {
				assertThat(seen).as("status of %s while it ran", id).contains(TaskState.RUNNING);
			}
			else if (runs.get(id).get() == 1) {
				assertThat(seen).as("status of %s while it ran", id).isEmpty();
			}
			else {
				assertThat(seen).as("status of %s while it ran again", id)
					.isIn(Optional.empty(), Optional.of(TaskState.SUCCEEDED));
			}
		}
	}

	/**
	 * What a task's level shows once it ran to the end: {@code full} and {@code results}
	 * {@code SUCCEEDED} with its result (results with no status while it ran),
	 * {@code none} nothing but the handler's own record.
	 */
	private static void assertRanToTheEnd(TaskQueue tasks, TaskTracking tracking, String id, int attempts,
			Duration within) {
		if (tracking == TaskTracking.NONE) {
			await().pollDelay(Duration.ZERO).atMost(within).until(() -> finished.containsKey(id));
			assertThat(finished.get(id)).as("attempt of %s", id).isEqualTo(attempts);
			assertThat(seenWhileRunning.get(id)).as("status of %s while it ran", id).isEmpty();
			assertThat(tasks.status(id)).as("status of %s", id).isNull();
			assertThat(tasks.result(id, String.class)).as("result of %s", id).isNull();
			return;
		}
		assertThat(tasks.awaitResult(id, String.class, within)).isEqualTo("done " + id);
		TaskStatus status = tasks.status(id);
		assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
		assertThat(status.attempts()).as("attempts of %s", id).isEqualTo(attempts);
		assertThat(finished.get(id)).as("attempt of %s", id).isEqualTo(attempts);
		assertThat(seenWhileRunning.get(id)).as("status of %s while it ran", id)
			.isEqualTo((tracking == TaskTracking.FULL) ? Optional.of(TaskState.RUNNING) : Optional.empty());
	}

	private static ConfigurableApplicationContext startInstance(ApplicationContextRunner runner, String instance) {
		ConfigurableApplicationContext[] started = new ConfigurableApplicationContext[1];
		CountDownLatch ready = new CountDownLatch(1);
		CountDownLatch close = new CountDownLatch(1);
		Thread holder = new Thread(() -> runner.withPropertyValues("instance=" + instance).run((context) -> {
			started[0] = context.getSourceApplicationContext();
			ready.countDown();
			close.await();
		}));
		holder.setDaemon(true);
		holder.start();
		try {
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		ConfigurableApplicationContext context = started[0];
		context.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> close.countDown());
		return context;
	}

	/**
	 * Records each run (its start, what it saw of its status, its return) and holds the
	 * runs of the instances named "a..." while {@link #holdOnA} is open.
	 */
	static class Worker {

		private final String instance;

		private final ObjectProvider<TaskQueue> tasks;

		Worker(Environment environment, ObjectProvider<TaskQueue> tasks) {
			this.instance = environment.getProperty("instance", "?");
			this.tasks = tasks;
		}

		@TaskHandler("work")
		String work(String what, TaskContext context) throws InterruptedException {
			runs.computeIfAbsent(what, (key) -> new AtomicInteger()).incrementAndGet();
			runsByInstance.computeIfAbsent(this.instance, (key) -> ConcurrentHashMap.newKeySet()).add(what);
			// what the task's level lets anyone see of it while it runs
			TaskStatus status = this.tasks.getObject().status(what);
			seenWhileRunning.put(what, Optional.ofNullable(status).map(TaskStatus::state));
			if (what.startsWith("slow-")) {
				Thread.sleep(10);
			}
			if (holdOnA.getCount() > 0 && this.instance.startsWith("a")) {
				held.countDown();
				holdOnA.await(30, TimeUnit.SECONDS);
			}
			finished.put(what, context.attempt());
			return "done " + what;
		}

	}

}
