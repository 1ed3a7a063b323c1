package io.natsboot.task;

import java.time.Duration;
import java.util.Map;
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
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task workers of two application instances on one queue, and what happens when a worker
 * dies, shuts down or the server restarts: every task runs, none is lost, none runs twice
 * unless a worker died with it.
 */
class TaskWorkerResilienceTests {

	/** Runs per task id across both instances of a test. */
	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	static final Map<String, Set<String>> runsByInstance = new ConcurrentHashMap<>();

	static volatile CountDownLatch blockFirst = new CountDownLatch(0);

	static volatile CountDownLatch blocked = new CountDownLatch(0);

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
		blockFirst = new CountDownLatch(0);
		blocked = new CountDownLatch(0);
		this.server.close();
	}

	@Test
	void twoInstancesShare2000TasksAndRunEachOnce() {
		this.server.start();
		this.contextRunner.withPropertyValues("instance=a")
			.run((a) -> this.contextRunner.withPropertyValues("instance=b").run((b) -> {
				TaskQueue tasks = a.getBean(TaskQueue.class);
				for (int i = 0; i < 2000; i++) {
					tasks.enqueue("work", "task-" + i, TaskOptions.id("task-" + i));
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == 2000);
				Thread.sleep(500);
				assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
				assertThat(runsByInstance.get("a")).isNotEmpty();
				assertThat(runsByInstance.get("b")).isNotEmpty();
				assertThat(tasks.status("task-1999").state()).isEqualTo(TaskState.SUCCEEDED);
			}));
	}

	@Test
	void aTaskWhoseWorkerDiesRunsToTheEndOnAnotherWorker() throws Exception {
		this.server.start();
		blockFirst = new CountDownLatch(1);
		blocked = new CountDownLatch(1);
		ApplicationContextRunner shortAckWait = this.contextRunner.withPropertyValues("nats.task-queue.ack-wait=2s");
		shortAckWait.withPropertyValues("instance=b").run((b) -> {
			b.getBean(TaskWorkerRegistry.class).stop(); // b waits until a has the task
			ConfigurableApplicationContext a = startInstance(shortAckWait, "a");
			TaskQueue tasks = b.getBean(TaskQueue.class);
			tasks.enqueue("work", "doomed", TaskOptions.id("doomed"));
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			// a dies: its connection is gone without an ack, as when the process is
			// killed
			a.getBean(Connection.class).close();
			b.getBean(TaskWorkerRegistry.class).start();
			assertThat(tasks.awaitResult("doomed", String.class, Duration.ofSeconds(20))).isEqualTo("done doomed");
			assertThat(tasks.status("doomed").attempts()).isEqualTo(2);
			assertThat(runsByInstance.get("b")).contains("doomed");
			blockFirst.countDown();
			a.close();
		});
	}

	@Test
	void aGracefulShutdownReleasesItsRunningTaskToAnotherWorkerAtOnce() throws Exception {
		this.server.start();
		blockFirst = new CountDownLatch(1);
		blocked = new CountDownLatch(1);
		ApplicationContextRunner quickDrain = this.contextRunner.withPropertyValues("nats.drain-timeout=500ms");
		quickDrain.withPropertyValues("instance=b").run((b) -> {
			b.getBean(TaskWorkerRegistry.class).stop();
			ConfigurableApplicationContext a = startInstance(quickDrain, "a");
			TaskQueue tasks = b.getBean(TaskQueue.class);
			tasks.enqueue("work", "released", TaskOptions.id("released"));
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			b.getBean(TaskWorkerRegistry.class).start();
			long closing = System.nanoTime();
			a.close();
			// released with a nak, long before the 30 s ack wait
			assertThat(tasks.awaitResult("released", String.class, Duration.ofSeconds(10))).isEqualTo("done released");
			assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
			assertThat(runsByInstance.get("b")).contains("released");
			// the released run gave its attempt back
			assertThat(tasks.status("released").attempts()).isEqualTo(1);
		});
	}

	@Test
	void aServerRestartInTheMiddleOfARunLosesNoTask() {
		this.server.start();
		this.contextRunner.withPropertyValues("instance=a").run((a) -> {
			TaskQueue tasks = a.getBean(TaskQueue.class);
			for (int i = 0; i < 300; i++) {
				tasks.enqueue("work", "slow-" + i, TaskOptions.id("slow-" + i));
			}
			await().until(() -> runs.size() >= 50);
			this.server.kill();
			this.server.start();
			await().atMost(Duration.ofSeconds(90)).until(() -> runs.size() == 300);
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> tasks.status("slow-299").state() == TaskState.SUCCEEDED);
		});
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
		context.addApplicationListener(
				(org.springframework.context.ApplicationListener<org.springframework.context.event.ContextClosedEvent>) (
						event) -> close.countDown());
		return context;
	}

	static class Worker {

		private final String instance;

		Worker(org.springframework.core.env.Environment environment) {
			this.instance = environment.getProperty("instance", "?");
		}

		@TaskHandler("work")
		String work(String what) throws InterruptedException {
			runs.computeIfAbsent(what, (key) -> new AtomicInteger()).incrementAndGet();
			runsByInstance.computeIfAbsent(this.instance, (key) -> ConcurrentHashMap.newKeySet()).add(what);
			if (what.startsWith("slow-")) {
				Thread.sleep(5);
			}
			if (blockFirst.getCount() > 0 && this.instance.equals("a")) {
				blocked.countDown();
				blockFirst.await(30, TimeUnit.SECONDS);
			}
			return "done " + what;
		}

	}

}
