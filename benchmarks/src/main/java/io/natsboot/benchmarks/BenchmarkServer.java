package io.natsboot.benchmarks;

import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One real {@code nats-server}, a raw jnats connection, and an auto-configured
 * {@link NatsTemplate} with the default configuration (subject validation, Micrometer
 * metrics) plus a namespace, for benchmarks that compare the two.
 */
final class BenchmarkServer implements AutoCloseable {

	static final String NAMESPACE = "bench";

	final NatsServerProcess server;

	final Connection raw;

	final ConfigurableApplicationContext context;

	final NatsTemplate template;

	BenchmarkServer(Class<?>... components) throws Exception {
		this(BenchmarkObservations.OFF, components);
	}

	/**
	 * Starts the server and the application, observed as asked.
	 * @param observations what observes the application's work
	 * @param components the application's beans
	 */
	BenchmarkServer(BenchmarkObservations observations, Class<?>... components) throws Exception {
		this.server = NatsServerProcess.startDefault();
		this.raw = Nats.connect(new Options.Builder().server(this.server.url()).build());
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("benchmark", java.util.Map.of("nats.servers", this.server.url(),
					"nats.namespace", NAMESPACE, "nats.startup", "fail")));
		// the default configuration of an application with Actuator: metrics on
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		context.registerBean(MeterRegistry.class, () -> meters);
		if (observations != BenchmarkObservations.OFF) {
			context.registerBean(ObservationRegistry.class, () -> observations.registry(meters));
		}
		context.register(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class);
		if (components.length > 0) {
			context.register(components);
		}
		context.refresh();
		this.context = context;
		this.template = context.getBean(NatsTemplate.class);
		if (!this.template.awaitConnected(Duration.ofSeconds(10))) {
			throw new IllegalStateException("The template did not connect to " + this.server.url());
		}
	}

	@Override
	public void close() throws Exception {
		this.context.close();
		this.raw.close();
		this.server.close();
	}

}
