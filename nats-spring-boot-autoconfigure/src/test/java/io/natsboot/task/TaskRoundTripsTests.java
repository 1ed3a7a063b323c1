package io.natsboot.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a task costs in messages to the server, per tracking level, counted on the
 * connection: the enqueue (status and task with {@code full}, the task alone otherwise)
 * and the run (with {@code full} the attempt and the end, with {@code results} the end,
 * with {@code none} nothing but the acknowledgement), plus the pulls, shared by the tasks
 * they bring (the fraction above the whole number). Counts, not timings: they hold on any
 * machine.
 */
@WithNatsServer
class TaskRoundTripsTests {

	private static final int TASKS = 300;

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "rt" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = TaskQueueContexts.runner(url, this.namespace)
		.withPropertyValues("nats.task-queue.queues.default.tracking=full", "nats.task-queue.queues.r.tracking=results",
				"nats.task-queue.queues.n.tracking=none");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@ParameterizedTest
	@EnumSource(TaskTracking.class)
	void aTaskCostsTheMessagesItsTrackingLevelNeeds(TaskTracking tracking) {
		String queue = switch (tracking) {
			case FULL -> "default";
			case RESULTS -> "r";
			case NONE -> "n";
		};
		this.contextRunner.withBean(Counting.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Connection connection = context.getBean(NatsTemplate.class).getConnection();
			TaskWorkerRegistry workers = context.getBean(TaskWorkerRegistry.class);
			// the stream and buckets exist, and the workers wait
			tasks.enqueue("count", 0, TaskOptions.queue(queue));
			Counting counting = context.getBean(Counting.class);
			await().until(() -> counting.count.get() == 1);
			workers.stop();
			List<TaskRequest> batch = new ArrayList<>();
			for (int i = 0; i < TASKS; i++) {
				batch.add(TaskRequest.of("count", i, TaskOptions.queue(queue)));
			}
			long beforeEnqueue = connection.getStatistics().getOutMsgs();
			tasks.enqueueAll(batch);
			double enqueue = (double) (connection.getStatistics().getOutMsgs() - beforeEnqueue) / TASKS;
			long beforeRun = connection.getStatistics().getOutMsgs();
			workers.start();
			// settled: stored and acknowledged (counted here, so the wait sends nothing)
			await().until(() -> workers.counts(queue)[0] == TASKS + 1);
			double run = (double) (connection.getStatistics().getOutMsgs() - beforeRun) / TASKS;
			switch (tracking) {
				case FULL -> {
					assertThat(enqueue).isBetween(2.0, 2.05);
					// attempt, SUCCEEDED, ack; the pulls share the rest
					assertThat(run).isGreaterThanOrEqualTo(3.0).isLessThan(4.0);
				}
				case RESULTS -> {
					assertThat(enqueue).isBetween(1.0, 1.05);
					// SUCCEEDED, ack
					assertThat(run).isGreaterThanOrEqualTo(2.0).isLessThan(3.0);
				}
				case NONE -> {
					assertThat(enqueue).isBetween(1.0, 1.05);
					assertThat(run).isGreaterThanOrEqualTo(1.0).isLessThan(2.0);
				}
			}
		});
	}

	static class Counting {

		final AtomicInteger count = new AtomicInteger();

		@TaskHandler("count")
		void count(int value) {
			this.count.incrementAndGet();
		}

		@TaskHandler(value = "count", queue = "r")
		void countResults(int value) {
			this.count.incrementAndGet();
		}

		@TaskHandler(value = "count", queue = "n")
		void countNone(int value) {
			this.count.incrementAndGet();
		}

	}

}
