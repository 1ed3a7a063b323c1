package io.natsboot.benchmarks;

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
 * The task queue against raw jnats on the same {@code TASKS} stream. Enqueue:
 * {@code enqueueAsync} (the task, then its status record) against a raw JetStream async
 * publish of the same message, 1,000 per invocation, all acknowledgements awaited.
 * Processing: tasks published raw, run by a no-op {@code @TaskHandler} (attempt counted
 * and result status written in the status bucket) against a raw pull-and-ack loop on a
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
