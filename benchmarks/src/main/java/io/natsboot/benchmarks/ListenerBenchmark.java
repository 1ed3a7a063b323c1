package io.natsboot.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Dispatcher;
import io.natsboot.annotation.NatsListener;
import io.natsboot.config.NatsListenerEndpointRegistry;
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
 * End-to-end messages/s from publish to handler: a {@code @NatsListener} method taking a
 * JSON {@code Order}, against a raw jnats {@code Dispatcher} handler doing the same
 * Jackson conversion. Both receive on a connection of their own; one publisher connection
 * sends to both. One operation is one message; each invocation publishes {@value #BATCH}
 * and waits for all; with the listener unobserved, observed through the no-op tracer, and
 * observed with a timer too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ListenerBenchmark {

	static final int BATCH = 1000;

	static final AtomicLong LISTENER_HANDLED = new AtomicLong();

	/** What observes the listener: see {@link BenchmarkObservations}. */
	@Param({ "OFF", "NOOP_TRACER", "NOOP_TRACER_AND_TIMERS" })
	BenchmarkObservations observations;

	private final AtomicLong rawHandled = new AtomicLong();

	private BenchmarkServer nats;

	private Dispatcher rawDispatcher;

	/**
	 * The raw handler's own connection: like the listener, it receives on another
	 * connection than the publisher's.
	 */
	private io.nats.client.Connection rawSubscriber;

	private byte[] json;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer(this.observations, OrderListener.class);
		ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
		this.json = mapper.writeValueAsBytes(new Order("order-1", 3));
		this.rawSubscriber = io.nats.client.Nats.connect(this.nats.server.url());
		this.rawDispatcher = this.rawSubscriber.createDispatcher((message) -> {
			try {
				Order order = mapper.readValue(message.getData(), Order.class);
				if (order.quantity() > 0) {
					this.rawHandled.incrementAndGet();
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.rawDispatcher.subscribe("bench.raw.orders");
		this.rawSubscriber.flush(Duration.ofSeconds(5));
		NatsListenerEndpointRegistry registry = this.nats.context.getBean(NatsListenerEndpointRegistry.class);
		while (!registry.getListenerContainer("orders").isSubscribed()) {
			Thread.sleep(10);
		}
		this.nats.template.flush(Duration.ofSeconds(5));
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.rawSubscriber.close();
		this.nats.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void rawJnatsDispatcher() throws Exception {
		long target = this.rawHandled.get() + BATCH;
		for (int i = 0; i < BATCH; i++) {
			this.nats.raw.publish("bench.raw.orders", this.json);
		}
		awaitCount(this.rawHandled, target);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void natsListener() throws Exception {
		long target = LISTENER_HANDLED.get() + BATCH;
		for (int i = 0; i < BATCH; i++) {
			this.nats.raw.publish("bench.listener.orders", this.json);
		}
		awaitCount(LISTENER_HANDLED, target);
	}

	static void awaitCount(AtomicLong count, long target) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (count.get() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Messages were lost: " + count.get() + " of " + target);
			}
			// park rather than spin: on 2 cores a spinning harness thread takes a core
			// from the consumers
			java.util.concurrent.locks.LockSupport.parkNanos(20_000);
		}
	}

	/**
	 * An order, as JSON.
	 *
	 * @param id the id
	 * @param quantity how many
	 */
	public record Order(String id, int quantity) {
	}

	/**
	 * The listener under test.
	 */
	public static class OrderListener {

		@NatsListener(id = "orders", subject = "listener.orders")
		public void onOrder(Order order) {
			if (order.quantity() > 0) {
				LISTENER_HANDLED.incrementAndGet();
			}
		}

	}

}
