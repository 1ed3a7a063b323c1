package io.natsboot.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.Headers;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The task queue against raw jnats on the same {@code TASKS} stream, per tracking level
 * of the queues ({@code nats.task-queue.queues.<queue>.tracking}). Enqueue:
 * {@code enqueueAsync}, {@code enqueueAll} and sequential {@code enqueue} (with
 * {@code full}: the status record, then the task) against a raw JetStream async publish
 * of the same message, 1,000 per invocation, all acknowledgements awaited. Processing:
 * tasks published raw (or enqueued with {@code enqueueAll}), run by a no-op
 * {@code @TaskHandler} (with the default prefetch) against a raw pull-and-ack loop on a
 * consumer of its own; {@code slots} is the handler's concurrency and the raw loop's pull
 * size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaskQueueBenchmark {

	static final int BATCH = 1000;

	static final AtomicLong HANDLED = new AtomicLong();

	@Param({ "1", "10" })
	public int slots;

	@Param({ "full", "results", "none" })
	public String tracking;

	private final AtomicLong rawHandled = new AtomicLong();

	private final AtomicLong sequence = new AtomicLong();

	private BenchmarkServer nats;

	private TaskQueue tasks;

	private JetStream publisher;

	private RawPullLoop rawLoop;

	private byte[] json;

	@Setup(Level.Trial)
	public void start() throws Exception {
		System.setProperty("bench.task.slots", String.valueOf(this.slots));
		System.setProperty("nats.task-queue.queues.default.tracking", this.tracking);
		System.setProperty("nats.task-queue.queues.sink.tracking", this.tracking);
		this.nats = new BenchmarkServer(new Class<?>[] { NatsTaskQueueAutoConfiguration.class, NoOpTasks.class });
		this.tasks = this.nats.context.getBean(TaskQueue.class);
		this.publisher = this.nats.raw.jetStream();
		ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
		this.json = mapper.writeValueAsBytes(new ListenerBenchmark.Order("order-1", 3));
		// provisions the stream and buckets
		this.tasks.enqueue("noop", new ListenerBenchmark.Order("warm", 1));
		String stream = BenchmarkServer.NAMESPACE + "_TASKS";
		this.nats.raw.jetStreamManagement()
			.addOrUpdateConsumer(stream,
					ConsumerConfiguration.builder()
						.durable("raw")
						.filterSubject("bench.natsboot.tasks.raw.normal.*")
						.ackPolicy(AckPolicy.Explicit)
						.build());
		this.rawLoop = new RawPullLoop(this.nats.raw, stream, "raw", this.slots, this.rawHandled);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.rawLoop.close();
		this.nats.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueRawJetStreamAsyncPublish() throws Exception {
		CompletableFuture<?>[] acks = new CompletableFuture<?>[BATCH];
		for (int i = 0; i < BATCH; i++) {
			String id = "raw-" + this.sequence.incrementAndGet();
			Headers headers = new Headers().put("Task-Id", id)
				.put("Task-Type", "sink")
				.put("Content-Type", "application/json");
			acks[i] = this.publisher.publishAsync("bench.natsboot.tasks.sink.normal.sink", headers, this.json,
					PublishOptions.builder().messageId(id).build());
		}
		CompletableFuture.allOf(acks).get(60, TimeUnit.SECONDS);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueTaskQueueAsync() throws Exception {
		CompletableFuture<?>[] receipts = new CompletableFuture<?>[BATCH];
		ListenerBenchmark.Order order = new ListenerBenchmark.Order("order-1", 3);
		for (int i = 0; i < BATCH; i++) {
			receipts[i] = this.tasks.enqueueAsync("sink", order,
					TaskOptions.queue("sink").id("q-" + this.sequence.incrementAndGet()));
		}
		CompletableFuture.allOf(receipts).get(60, TimeUnit.SECONDS);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueTaskQueueAll() throws Exception {
		ListenerBenchmark.Order order = new ListenerBenchmark.Order("order-1", 3);
		List<TaskRequest> batch = new ArrayList<>(BATCH);
		for (int i = 0; i < BATCH; i++) {
			batch.add(TaskRequest.of("sink", order,
					TaskOptions.queue("sink").id("a-" + this.sequence.incrementAndGet())));
		}
		this.tasks.enqueueAll(batch);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueTaskQueueSequential() throws Exception {
		ListenerBenchmark.Order order = new ListenerBenchmark.Order("order-1", 3);
		for (int i = 0; i < BATCH; i++) {
			this.tasks.enqueue("sink", order, TaskOptions.queue("sink").id("s-" + this.sequence.incrementAndGet()));
		}
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void processRawPullAckLoop() throws Exception {
		long target = this.rawHandled.get() + BATCH;
		publish("bench.natsboot.tasks.raw.normal.noop");
		ListenerBenchmark.awaitCount(this.rawHandled, target);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void processTaskHandler() throws Exception {
		long target = HANDLED.get() + BATCH;
		publish("bench.natsboot.tasks.default.normal.noop");
		ListenerBenchmark.awaitCount(HANDLED, target);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void processEnqueuedTaskHandler() throws Exception {
		long target = HANDLED.get() + BATCH;
		ListenerBenchmark.Order order = new ListenerBenchmark.Order("order-1", 3);
		List<TaskRequest> batch = new ArrayList<>(BATCH);
		for (int i = 0; i < BATCH; i++) {
			batch.add(TaskRequest.of("noop", order,
					TaskOptions.queue("default").id("e-" + this.sequence.incrementAndGet())));
		}
		this.tasks.enqueueAll(batch);
		ListenerBenchmark.awaitCount(HANDLED, target);
	}

	private void publish(String subject) throws Exception {
		CompletableFuture<?>[] acks = new CompletableFuture<?>[BATCH];
		for (int i = 0; i < BATCH; i++) {
			String id = "p-" + this.sequence.incrementAndGet();
			Headers headers = new Headers().put("Task-Id", id)
				.put("Task-Type", "noop")
				.put("Content-Type", "application/json");
			acks[i] = this.publisher.publishAsync(subject, headers, this.json,
					PublishOptions.builder().messageId(id).build());
		}
		CompletableFuture.allOf(acks).get(60, TimeUnit.SECONDS);
	}

	/**
	 * The no-op task handler under test.
	 */
	public static class NoOpTasks {

		@TaskHandler(value = "noop", concurrency = "${bench.task.slots}")
		public void noop(ListenerBenchmark.Order order) {
			if (order.quantity() > 0) {
				HANDLED.incrementAndGet();
			}
		}

	}

}
