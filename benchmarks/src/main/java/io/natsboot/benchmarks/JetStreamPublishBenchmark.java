package io.natsboot.benchmarks;

import java.util.concurrent.TimeUnit;

import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JetStream publish with acknowledgement into a memory stream:
 * {@code jetStream().publish} against jnats {@code JetStream.publish}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JetStreamPublishBenchmark {

	private BenchmarkServer nats;

	private JetStream rawJetStream;

	private final byte[] payload = new byte[128];

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer();
		this.nats.template.jetStream()
			.createOrUpdateStream(StreamConfiguration.builder()
				.name("EVENTS")
				.subjects("events.>")
				.storageType(StorageType.Memory)
				.maxMessages(100_000)
				.build());
		this.rawJetStream = this.nats.raw.jetStream();
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.nats.close();
	}

	@Benchmark
	public PublishAck rawJnatsJetStreamPublish() throws Exception {
		return this.rawJetStream.publish("bench.events.stored", this.payload);
	}

	@Benchmark
	public PublishAck natsTemplateJetStreamPublish() {
		return this.nats.template.jetStream().publish("events.stored", this.payload);
	}

}
