package io.natsboot.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
 * Core publish throughput: {@code NatsTemplate.publish(String, byte[])} (namespace,
 * subject validation, payload check) against jnats {@code Connection.publish} on the same
 * subject; with the template unobserved, observed through the no-op tracer, and observed
 * with a timer too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishBenchmark {

	@Param({ "16", "1024" })
	int size;

	/** What observes the template: see {@link BenchmarkObservations}. */
	@Param({ "OFF", "NOOP_TRACER", "NOOP_TRACER_AND_TIMERS" })
	BenchmarkObservations observations;

	private BenchmarkServer nats;

	private byte[] payload;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer(this.observations);
		this.payload = new byte[this.size];
	}

	@TearDown(Level.Iteration)
	public void drainOutgoing() throws Exception {
		this.nats.raw.flush(Duration.ofSeconds(10));
		this.nats.template.flush(Duration.ofSeconds(10));
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.nats.close();
	}

	@Benchmark
	public void rawJnatsPublish() {
		this.nats.raw.publish("bench.events.created", this.payload);
	}

	@Benchmark
	public void natsTemplatePublish() {
		this.nats.template.publish("events.created", this.payload);
	}

}
