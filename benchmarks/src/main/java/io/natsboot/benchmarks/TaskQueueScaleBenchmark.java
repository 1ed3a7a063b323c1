package io.natsboot.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.task.DeadTask;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskQueueStats;
import io.natsboot.task.TaskReceipt;
import io.natsboot.task.TaskStatus;
import io.natsboot.task.TaskWireFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one task-queue lookup costs as the backlog grows: {@code backlog} tasks enqueued
 * with {@code enqueueAsync} (each with its status) on the default queue, which no worker
 * serves, and {@code dead} dead letters published raw on their tasks' subjects with the
 * headers the recoverer writes. Measured: {@code status(id)}, {@code deadLetter(id)},
 * {@code requeue(id)} (after each, the re-queued task is deleted and its dead letter
 * stored again, outside the measured time, so the state stays the same) and
 * {@code stats()}. The target is that the larger backlog costs at most twice the smaller.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TaskQueueScaleBenchmark {

	private static final String TASKS = BenchmarkServer.NAMESPACE + "_TASKS";

	private static final String TASK_SUBJECT = BenchmarkServer.NAMESPACE + ".natsboot.tasks.default.normal.sink";

	private static final String DEAD_SUBJECT = BenchmarkServer.NAMESPACE + ".natsboot.tasks-dead.default.";

	/** How many ids the lookups cycle through, spread over the whole range. */
	private static final int SAMPLE = 97;

	@Param({ "1000", "100000" })
	public int backlog;

	@Param({ "100", "10000" })
	public int dead;

	private BenchmarkServer nats;

	private TaskQueue tasks;

	private JetStream publisher;

	private JetStreamManagement management;

	private final List<String> taskIds = new ArrayList<>();

	private final List<String> deadIds = new ArrayList<>();

	private int next;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer(NatsTaskQueueAutoConfiguration.class);
		this.tasks = this.nats.context.getBean(TaskQueue.class);
		this.publisher = this.nats.raw.jetStream();
		this.management = this.nats.raw.jetStreamManagement();
		String payload = "{\"id\":\"order-1\",\"quantity\":3}";
		int window = 1000;
		for (int from = 0; from < this.backlog; from += window) {
			List<CompletableFuture<TaskReceipt>> receipts = new ArrayList<>();
			for (int i = from; i < Math.min(this.backlog, from + window); i++) {
				receipts.add(this.tasks.enqueueAsync("sink", payload, TaskOptions.queue("default").id("task-" + i)));
			}
			CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
		for (int from = 0; from < this.dead; from += window) {
			List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
			for (int i = from; i < Math.min(this.dead, from + window); i++) {
				acks.add(publishDeadLetter("dead-" + i));
			}
			CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		}
		for (int i = 0; i < SAMPLE; i++) {
			this.taskIds.add("task-" + ((long) i * this.backlog / SAMPLE));
			this.deadIds.add("dead-" + ((long) i * this.dead / SAMPLE));
		}
		check();
	}

	/** Fails the trial unless the state is what the figures claim. */
	private void check() {
		TaskQueueStats stats = this.tasks.stats().get(0);
		if (stats.pending() != this.backlog || stats.dead() != this.dead) {
			throw new IllegalStateException(
					"Expected " + this.backlog + " waiting and " + this.dead + " dead tasks, found " + stats);
		}
		if (this.tasks.status(this.taskIds.get(SAMPLE - 1)) == null
				|| this.tasks.deadLetter(this.deadIds.get(SAMPLE - 1)) == null) {
			throw new IllegalStateException("A task or a dead letter is missing");
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		check();
		this.nats.close();
	}

	private String nextOf(List<String> ids) {
		this.next = (this.next + 1) % ids.size();
		return ids.get(this.next);
	}

	@Benchmark
	public TaskStatus status() {
		return this.tasks.status(nextOf(this.taskIds));
	}

	@Benchmark
	public DeadTask deadLetter() {
		return this.tasks.deadLetter(nextOf(this.deadIds));
	}

	@Benchmark
	public TaskReceipt requeue(Requeued requeued) {
		requeued.scale = this;
		requeued.receipt = this.tasks.requeue(nextOf(this.deadIds));
		return requeued.receipt;
	}

	@Benchmark
	public List<TaskQueueStats> stats() {
		return this.tasks.stats();
	}

	/**
	 * The task the last {@code requeue} sent back: after each call (outside the measured
	 * time) it leaves the queue again and its dead letter is stored again.
	 */
	@State(Scope.Thread)
	public static class Requeued {

		TaskQueueScaleBenchmark scale;

		TaskReceipt receipt;

		@TearDown(Level.Invocation)
		public void restore() throws Exception {
			if (this.receipt != null) {
				this.scale.management.deleteMessage(TASKS, this.receipt.streamSequence());
				this.scale.publishDeadLetter(this.receipt.id()).get(10, TimeUnit.SECONDS);
				this.receipt = null;
			}
		}

	}

	/** A dead letter as the task queue's recoverer writes it. */
	private CompletableFuture<PublishAck> publishDeadLetter(String id) {
		Headers headers = new Headers().put(TaskWireFormat.ID_HEADER, id)
			.put(TaskWireFormat.TYPE_HEADER, "sink")
			.put("Content-Type", "application/json")
			.put(DeadLetterPublishingRecoverer.EXCEPTION_HEADER, "java.lang.IllegalStateException")
			.put(DeadLetterPublishingRecoverer.MESSAGE_HEADER, "declined")
			.put(DeadLetterPublishingRecoverer.ATTEMPTS_HEADER, "3")
			.put(DeadLetterPublishingRecoverer.SUBJECT_HEADER, TASK_SUBJECT)
			.put(DeadLetterPublishingRecoverer.STREAM_HEADER, TASKS)
			.put(DeadLetterPublishingRecoverer.SEQUENCE_HEADER, "1")
			.put(DeadLetterPublishingRecoverer.CONSUMER_HEADER, BenchmarkServer.NAMESPACE + "_tasks_default_normal")
			.put(DeadLetterPublishingRecoverer.FAILED_AT_HEADER, Instant.now().toString());
		return this.publisher.publishAsync(DEAD_SUBJECT + id, headers,
				"{\"id\":\"order-1\",\"quantity\":3}".getBytes());
	}

}
