package io.natsboot.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.natsboot.core.NatsMessage;
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
 * Request-reply latency against one echo responder: {@code NatsTemplate.request} against
 * jnats {@code Connection.request}. Sample mode gives the percentiles (p50 is the
 * target).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestReplyBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private BenchmarkServer nats;

	private Connection responder;

	private final byte[] payload = new byte[64];

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer();
		this.responder = io.nats.client.Nats.connect(this.nats.server.url());
		Dispatcher echo = this.responder
			.createDispatcher((message) -> this.responder.publish(message.getReplyTo(), message.getData()));
		echo.subscribe("bench.service.echo");
		this.responder.flush(TIMEOUT);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.responder.close();
		this.nats.close();
	}

	@Benchmark
	public Message rawJnatsRequest() throws Exception {
		return this.nats.raw.request("bench.service.echo", this.payload, TIMEOUT);
	}

	@Benchmark
	public NatsMessage natsTemplateRequest() {
		return this.nats.template.request("service.echo", this.payload, TIMEOUT);
	}

}
