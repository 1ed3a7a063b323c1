package io.natsboot.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * natsboot's task queue against a peer, Spring AMQP on RabbitMQ, in the same JVM on the
 * same machine; each side has a server of its own (a {@link BenchmarkServer}'s
 * nats-server, a {@link RabbitMqNode}) and only the side a benchmark measures runs in its
 * trial. Enqueue: 1,000 tasks per invocation, all stored: {@code enqueueAsync} on the
 * queue {@code peer} with every future awaited, against 1,000 persistent publishes to the
 * durable queue {@code peer} on one channel with every publisher confirm awaited (see
 * {@link SpringAmqpPeer#publishConfirmed(int)}). Process: the same 1,000, then waiting
 * until the no-op handler ({@code @TaskHandler}, or {@code @RabbitListener} with
 * acknowledge mode AUTO) has handled them all, so the publishing is part of the figure.
 * The handlers run during the enqueue benchmarks too.
 * <p>
 * {@code consumers} is the handler's concurrency (the listener's concurrent consumers),
 * {@code prefetch} the unacknowledged tasks a worker (a consumer) may hold, and
 * {@code tracking} whether the task queue keeps a status record per task ({@code full})
 * or not ({@code none}); it is a parameter of the task queue's benchmarks only, so the
 * Spring AMQP ones run once per {@code consumers} and {@code prefetch}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RabbitTaskQueueBenchmark {

	static final int BATCH = 1000;

	static final AtomicLong HANDLED = new AtomicLong();

	private static final ListenerBenchmark.Order ORDER = new ListenerBenchmark.Order("order-1", 3);

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueRabbitTemplateConfirmed(SpringAmqpSide side) throws Exception {
		side.peer.publishConfirmed(BATCH);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void enqueueTaskQueueAsync(TaskQueueSide side) throws Exception {
		side.enqueue();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void processRabbitListener(SpringAmqpSide side) throws Exception {
		long target = SpringAmqpPeer.HANDLED.get() + BATCH;
		side.peer.publishConfirmed(BATCH);
		ListenerBenchmark.awaitCount(SpringAmqpPeer.HANDLED, target);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void processTaskHandler(TaskQueueSide side) throws Exception {
		long target = HANDLED.get() + BATCH;
		side.enqueue();
		ListenerBenchmark.awaitCount(HANDLED, target);
	}

	/**
	 * The Spring AMQP side: a RabbitMQ node, the listener and the template.
	 */
	@State(Scope.Benchmark)
	public static class SpringAmqpSide {

		@Param({ "1", "10" })
		public int consumers;

		@Param({ "1", "250" })
		public int prefetch;

		SpringAmqpPeer peer;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.peer = new SpringAmqpPeer(this.consumers, this.prefetch);
			// one round trip before the first iteration: the consumers are up
			long target = SpringAmqpPeer.HANDLED.get() + 1;
			this.peer.publishConfirmed(1);
			ListenerBenchmark.awaitCount(SpringAmqpPeer.HANDLED, target);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.peer.close();
		}

	}

	/**
	 * The natsboot side: a nats-server, the task queue and the no-op handler on the queue
	 * {@code peer}.
	 */
	@State(Scope.Benchmark)
	public static class TaskQueueSide {

		@Param({ "1", "10" })
		public int consumers;

		@Param({ "1", "250" })
		public int prefetch;

		@Param({ "full", "none" })
		public String tracking;

		private BenchmarkServer nats;

		private TaskQueue tasks;

		private final TaskOptions peerQueue = TaskOptions.queue("peer");

		@Setup(Level.Trial)
		public void start() throws Exception {
			// read by the handler's concurrency placeholder and by the queue's settings
			System.setProperty("bench.peer.consumers", String.valueOf(this.consumers));
			System.setProperty("nats.task-queue.queues.peer.tracking", this.tracking);
			System.setProperty("nats.task-queue.queues.peer.prefetch", String.valueOf(this.prefetch));
			this.nats = new BenchmarkServer(NatsTaskQueueAutoConfiguration.class, PeerTasks.class);
			this.tasks = this.nats.context.getBean(TaskQueue.class);
			// provisions the stream and buckets; its handling shows the worker is up
			long target = HANDLED.get() + 1;
			this.tasks.enqueue("noop", ORDER, this.peerQueue);
			ListenerBenchmark.awaitCount(HANDLED, target);
		}

		void enqueue() throws Exception {
			CompletableFuture<?>[] receipts = new CompletableFuture<?>[BATCH];
			for (int i = 0; i < BATCH; i++) {
				receipts[i] = this.tasks.enqueueAsync("noop", ORDER, this.peerQueue);
			}
			CompletableFuture.allOf(receipts).get(60, TimeUnit.SECONDS);
		}

		@TearDown(Level.Trial)
		public void stop() throws Exception {
			this.nats.close();
		}

	}

	/**
	 * The no-op task handler under test.
	 */
	public static class PeerTasks {

		@TaskHandler(value = "noop", queue = "peer", concurrency = "${bench.peer.consumers}")
		public void noop(ListenerBenchmark.Order order) {
			if (order.quantity() > 0) {
				HANDLED.incrementAndGet();
			}
		}

	}

}
