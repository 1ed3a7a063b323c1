package io.natsboot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsEndpointAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsHealth;
import io.natsboot.core.NatsNoRespondersException;
import io.natsboot.core.NatsStatistics;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Statistics, health, metrics and the actuator endpoint, against a real server.
 */
@WithNatsServer
class NatsObservabilityTests {

	static String url;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class,
				NatsEndpointAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=obs",
				"management.endpoints.web.exposure.include=nats");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void metricsCountPublishedReceivedRequestsAndErrorsBySubjectWithoutNamespace() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			template.subscribe("orders.created", (message) -> {
				throw new IllegalStateException("handler fails");
			});
			template.flush(Duration.ofSeconds(2));
			template.publish("orders.created", "a");
			template.publish("orders.created", "bc");
			assertThatExceptionOfType(NatsNoRespondersException.class)
				.isThrownBy(() -> template.request("nobody.home", "x", Duration.ofSeconds(2)));

			await().until(() -> count(registry, "nats.messages.received", "orders.created") == 2);
			assertThat(count(registry, "nats.messages.published", "orders.created")).isEqualTo(2);
			assertThat(count(registry, "nats.messages.published.bytes", "orders.created")).isEqualTo(3);
			assertThat(registry.get("nats.requests")
				.tag("subject", "nobody.home")
				.tag("outcome", "no_responders")
				.timer()
				.count()).isEqualTo(1);
			await().until(() -> registry.find("nats.errors").tag("operation", "handle").counter() != null
					&& registry.get("nats.errors").tag("operation", "handle").counter().count() == 2);
		});
	}

	@Test
	void receivedMessagesAreCountedForSubscriptionsAndCoreAndDurableListenersTaggedBySource() {
		// a namespace of its own: the durable listener's streams stay out of the other
		// tests' figures
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(Listeners.class)
			.withPropertyValues("nats.namespace=counted")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				NatsListenerEndpointRegistry listeners = context.getBean(NatsListenerEndpointRegistry.class);
				template.subscribe("signals.raw", (message) -> {
				});
				await().until(() -> listeners.getListenerContainer("signals").isSubscribed()
						&& listeners.getListenerContainer("journal").isSubscribed());
				template.flush(Duration.ofSeconds(2));
				template.publish("signals.raw", "1");
				template.publish("signals.core", "2");
				template.publish("signals.core", "not a number");
				template.jetStream().publish("journal.entries", "3");

				await().until(() -> received(registry, "signals.raw", "subscription") == 1
						&& received(registry, "signals.core", "listener") == 2
						&& received(registry, "journal.entries", "listener") == 1);
				assertThat(registry.find("nats.messages.received").counters()).allSatisfy(
						(counter) -> assertThat(counter.getId().getTag("subject")).doesNotStartWith("counted."));
			});
	}

	@Test
	void subjectTagsAreBounded() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		MicrometerNatsMetricsRecorder recorder = new MicrometerNatsMetricsRecorder(registry);
		for (int i = 0; i < MicrometerNatsMetricsRecorder.MAX_SUBJECTS + 50; i++) {
			recorder.published("device." + i, 1);
		}
		assertThat(registry.find("nats.messages.published").counters())
			.hasSize(MicrometerNatsMetricsRecorder.MAX_SUBJECTS + 1);
		assertThat(registry.get("nats.messages.published").tag("subject", "other").counter().count()).isEqualTo(50);
	}

	@Test
	void statisticsAndHealthDescribeTheConnectionAndStreams() {
		this.contextRunner.run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			template.jetStream()
				.createOrUpdateStream(StreamConfiguration.builder().name("STATS").subjects("stats.>").build());
			template.jetStream()
				.createOrUpdateConsumer("STATS", ConsumerConfiguration.builder().durable("reader").build());
			template.jetStream().publish("stats.one", "1");
			template.publish("plain", "x");

			NatsStatistics statistics = template.statistics();
			assertThat(statistics.outMessages()).isPositive();
			assertThat(statistics.rtt()).isNotNull();
			assertThat(statistics.streams()).isEqualTo(1);
			assertThat(statistics.consumers()).isEqualTo(1);
			assertThat(statistics.streamMessages()).isEqualTo(1);

			NatsHealth deep = template.health(true);
			assertThat(deep.up()).isTrue();
			assertThat(deep.rtt()).isNotNull();
			assertThat(deep.jetStream()).isTrue();
			assertThat(deep.server()).isEqualTo(url);
			NatsHealth shallow = template.health(false);
			assertThat(shallow.up()).isTrue();
			assertThat(shallow.rtt()).isNull();
			template.jetStream().deleteStream("STATS");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointShowsConnectionStreamsConsumersAndContributedSections() {
		this.contextRunner.withBean(NatsEndpointContributor.class, () -> new NatsEndpointContributor() {
			@Override
			public String name() {
				return "keystore";
			}

			@Override
			public Object describe() {
				return Map.of("bucket", "keystore");
			}
		}).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			template.jetStream()
				.createOrUpdateStream(StreamConfiguration.builder().name("SHOWN").subjects("shown.>").build());
			template.jetStream()
				.createOrUpdateConsumer("SHOWN", ConsumerConfiguration.builder().durable("viewer").build());
			template.jetStream().publish("shown.one", "1");

			Map<String, Object> answer = context.getBean(NatsEndpoint.class).describe();

			Map<String, Object> connection = (Map<String, Object>) answer.get("connection");
			assertThat(connection).containsEntry("status", "CONNECTED").containsEntry("namespace", "obs");
			// durations in one form, as health's rttMillis
			Map<String, Object> statistics = (Map<String, Object>) connection.get("statistics");
			assertThat(statistics).doesNotContainKey("rtt")
				.hasEntrySatisfying("rttMillis", (rtt) -> assertThat(rtt).isInstanceOf(Double.class))
				.containsEntry("streams", 1);
			List<Map<String, Object>> streams = (List<Map<String, Object>>) answer.get("streams");
			assertThat(streams).singleElement().satisfies((stream) -> {
				assertThat(stream).containsEntry("name", "obs_SHOWN").containsEntry("messages", 1L);
				assertThat((List<Map<String, Object>>) stream.get("consumers")).singleElement()
					.satisfies((consumer) -> assertThat(consumer).containsEntry("name", "obs_viewer")
						.containsEntry("pending", 1L));
			});
			assertThat(answer).containsEntry("keystore", Map.of("bucket", "keystore"));
			template.jetStream().deleteStream("SHOWN");
		});
	}

	@Test
	void theEndpointIsOffUnlessExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsEndpointAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url)
			.run((context) -> assertThat(context).doesNotHaveBean(NatsEndpoint.class));
	}

	private static double received(MeterRegistry registry, String subject, String source) {
		io.micrometer.core.instrument.Counter counter = registry.find("nats.messages.received")
			.tag("subject", subject)
			.tag("source", source)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double count(MeterRegistry registry, String name, String subject) {
		io.micrometer.core.instrument.Counter counter = registry.find(name).tag("subject", subject).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		NatsStreamDefinition journal() {
			return NatsStreamDefinition.of("OBSERVED_JOURNAL", "journal.>");
		}

		@NatsListener(id = "signals", subject = "signals.core")
		void signal(Integer value) {
		}

		@NatsListener(id = "journal", subject = "journal.>", stream = "OBSERVED_JOURNAL", durable = "journal")
		void entry(String entry) {
		}

	}

}
