package io.natsboot.observation;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every observation natsboot makes, by name and low-cardinality keys, on a
 * {@link TestObservationRegistry} (which also checks each is started, scoped and stopped
 * rightly): the template's publish, request and JetStream publish, core and durable
 * listeners, enqueue and run of a task, and the key store. Each kind switches off on its
 * own, an application's convention replaces natsboot's, and the observations' timers
 * replace the hand-written ones behind {@code nats.metrics.legacy-timers}.
 */
@WithNatsServer
class NatsObservationsTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "obs" + namespaces.incrementAndGet();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
				NatsKeyStoreAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.registry)
		.withBean(Handlers.class)
		.withBean(NatsStreamDefinition.class, () -> NatsStreamDefinition.of("ORDERS", "orders.>"))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace,
				"nats.drain-timeout=2s", "nats.keystore.backend=memory");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void everyKindOfWorkIsObservedWithItsDocumentedKeys() {
		this.contextRunner.run((context) -> {
			doEverything(context);
			String ns = this.namespace;
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.publish")
				.that()
				.hasContextualNameEqualTo("publish " + ns + ".things.*")
				.hasLowCardinalityKeyValue("messaging.system", "nats")
				.hasLowCardinalityKeyValue("messaging.operation", "publish")
				.hasLowCardinalityKeyValue("messaging.destination.name", ns + ".things.*")
				.hasHighCardinalityKeyValue("nats.subject", ns + ".things.20417")
				.hasBeenStarted()
				.hasBeenStopped();
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.request")
				.that()
				.hasLowCardinalityKeyValue("messaging.operation", "request")
				.hasLowCardinalityKeyValue("messaging.destination.name", ns + ".quotes.eur")
				.hasBeenStopped();
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.jetstream.publish")
				.that()
				.hasLowCardinalityKeyValue("messaging.operation", "publish")
				.hasLowCardinalityKeyValue("messaging.destination.name", ns + ".orders.placed")
				.hasLowCardinalityKeyValue("nats.stream", ns + "_ORDERS")
				.hasHighCardinalityKeyValue("nats.stream.sequence", "1");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.listener.process")
				.that()
				.hasContextualNameEqualTo("process " + ns + ".quotes.*")
				.hasLowCardinalityKeyValue("messaging.operation", "process")
				.hasLowCardinalityKeyValue("messaging.destination.name", ns + ".quotes.*")
				.hasLowCardinalityKeyValue("nats.listener.id", "quotes")
				.hasLowCardinalityKeyValue("nats.queue.group", "pricing");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.jetstream.process")
				.that()
				.hasLowCardinalityKeyValue("nats.listener.id", "orders")
				.hasLowCardinalityKeyValue("nats.stream", ns + "_ORDERS")
				.hasLowCardinalityKeyValue("nats.consumer", ns + "_orders")
				.hasHighCardinalityKeyValue("nats.delivery.count", "1");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.task.enqueue")
				.that()
				.hasContextualNameEqualTo("enqueue resize")
				.hasLowCardinalityKeyValue("messaging.operation", "enqueue")
				.hasLowCardinalityKeyValue("nats.task.queue", "default")
				.hasLowCardinalityKeyValue("nats.task.type", "resize")
				.hasLowCardinalityKeyValue("messaging.destination.name", ns + ".natsboot.tasks.default.normal.resize");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.task.run")
				.that()
				.hasContextualNameEqualTo("run resize")
				.hasLowCardinalityKeyValue("nats.task.outcome", "success")
				.hasHighCardinalityKeyValue("nats.task.attempt", "1");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.keystore.backend")
				.that()
				.hasContextualNameEqualTo("store keystore")
				.hasLowCardinalityKeyValue("nats.keystore.operation", "store")
				.hasLowCardinalityKeyValue("nats.keystore.backend", "memory")
				.hasLowCardinalityKeyValue("nats.keystore.bucket", "keystore");
			// the read of a key it has just stored is the local cache's, which is not
			// observed; the read of a key it never saw reaches the backend
			assertThat(this.registry)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("nats.keystore.backend")
					.hasLowCardinalityKeyValue("nats.keystore.operation", "retrieve"))
				.hasNumberOfObservationsWithNameEqualTo("nats.keystore.backend", 2);
			// the keys each observation has are the ones its documentation lists
			assertDocumented(NatsTemplateObservation.values());
			assertDocumented(NatsListenerObservation.values());
			assertDocumented(TaskObservation.values());
			assertDocumented(KeyStoreObservation.values());
		});
	}

	@Test
	void eachKindSwitchesOffOnItsOwn() {
		this.contextRunner
			.withPropertyValues("nats.observation.listener=false", "nats.observation.task-queue=false",
					"nats.observation.key-store=false")
			.run((context) -> {
				doEverything(context);
				assertThat(this.registry).hasObservationWithNameEqualTo("nats.publish");
				assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("nats.listener.process", 0)
					.hasNumberOfObservationsWithNameEqualTo("nats.jetstream.process", 0)
					.hasNumberOfObservationsWithNameEqualTo("nats.task.enqueue", 0)
					.hasNumberOfObservationsWithNameEqualTo("nats.task.run", 0)
					.hasNumberOfObservationsWithNameEqualTo("nats.keystore.backend", 0);
			});
		this.registry.clear();
		this.contextRunner.withPropertyValues("nats.observation.template=false").run((context) -> {
			doEverything(context);
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("nats.publish", 0)
				.hasNumberOfObservationsWithNameEqualTo("nats.request", 0)
				.hasNumberOfObservationsWithNameEqualTo("nats.jetstream.publish", 0)
				.hasObservationWithNameEqualTo("nats.listener.process");
		});
	}

	@Test
	void aRequestWhoseCallerGaveUpStillEndsItsObservation() throws Exception {
		this.contextRunner.run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			// a responder that never answers
			try (io.nats.client.Connection silent = io.nats.client.Nats.connect(url)) {
				silent.subscribe(this.namespace + ".silent.>");
				silent.flush(Duration.ofSeconds(2));
				template.requestAsync("silent.one", "{}", Duration.ofMillis(300)).cancel(true);
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(this.registry).hasObservationWithNameEqualTo("nats.request")
						.that()
						.hasBeenStopped()
						.hasError());
			}
		});
	}

	@Test
	void anApplicationConventionReplacesNatsboots() {
		this.contextRunner.withBean(NatsTemplateObservationConvention.class, RegionConvention::new).run((context) -> {
			context.getBean(NatsTemplate.class).publish("things.1", "{}");
			assertThat(this.registry).hasObservationWithNameEqualTo("nats.publish")
				.that()
				.hasLowCardinalityKeyValue("region", "eu")
				.hasLowCardinalityKeyValue("messaging.destination.name", this.namespace + ".things.*");
		});
	}

	@Test
	void theObservationsTimersReplaceTheHandWrittenOnesOnlyWhenLegacyTimersAreOff() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry timing = ObservationRegistry.create();
		timing.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class,
					NatsTaskQueueAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class))
			.withBean(MeterRegistry.class, () -> meters)
			.withBean(ObservationRegistry.class, () -> timing)
			.withBean(Handlers.class)
			.withBean(NatsStreamDefinition.class, () -> NatsStreamDefinition.of("ORDERS", "orders.>"))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace,
					"nats.drain-timeout=2s", "nats.keystore.backend=memory");
		runner.run((context) -> {
			doEverything(context);
			awaitTimer(meters, "nats.jetstream.process");
			assertThat(meters.find("nats.listener").timer()).isNotNull();
			assertThat(meters.find("nats.listener.process").tag("nats.listener.id", "quotes").timer()).isNotNull();
			assertThat(meters.find("nats.task").timer()).isNotNull();
			assertThat(meters.find("nats.task.run").tag("nats.task.outcome", "success").timer()).isNotNull();
		});
		meters.clear();
		runner.withPropertyValues("nats.metrics.legacy-timers=false").run((context) -> {
			doEverything(context);
			awaitTimer(meters, "nats.jetstream.process");
			assertThat(meters.find("nats.listener").timer()).isNull();
			assertThat(meters.find("nats.requests").timer()).isNull();
			assertThat(meters.find("nats.task").timer()).isNull();
			assertThat(meters.find("nats.keystore.operations").timer()).isNull();
			assertThat(meters.find("nats.listener.process").timer()).isNotNull();
			assertThat(meters.find("nats.request").timer()).isNotNull();
			assertThat(meters.find("nats.task.run").timer()).isNotNull();
			assertThat(meters.find("nats.keystore.backend").timer()).isNotNull();
			// counters stay
			assertThat(meters.find("nats.messages.published").counter()).isNotNull();
		});
	}

	private void doEverything(ApplicationContext context) throws Exception {
		NatsTemplate template = context.getBean(NatsTemplate.class);
		Handlers handlers = context.getBean(Handlers.class);
		template.publish("things.20417", "{}");
		assertThat(template.request("quotes.eur", "{}", Duration.ofSeconds(5)).payloadAsString()).contains("quoted");
		template.jetStream().publish("orders.placed", "{}");
		assertThat(handlers.orders.await(10, TimeUnit.SECONDS)).isTrue();
		TaskQueue tasks = context.getBean(TaskQueue.class);
		TaskReceipt receipt = tasks.enqueue("resize", "cat.png");
		assertThat(tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(20))).isEqualTo("resized cat.png");
		KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
		keyStore.store("cart-1", Map.of("items", 2));
		keyStore.retrieve("cart-1", Map.class);
		keyStore.retrieve("cart-2", Map.class);
		assertThat(template.request("ready.now", "{}", Duration.ofSeconds(5)).payloadAsString()).contains("ready");
		// the durable listener's observation stops just after its handler returns
		if (context.getBean(ObservationRegistry.class) == this.registry
				&& context.getEnvironment().getProperty("nats.observation.listener", Boolean.class, true)) {
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.registry).hasObservationWithNameEqualTo("nats.jetstream.process")
					.that()
					.hasBeenStopped());
		}
	}

	private static void awaitTimer(MeterRegistry meters, String name) {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> meters.find(name).timer() != null);
	}

	private void assertDocumented(ObservationDocumentation... observations) {
		for (ObservationDocumentation documentation : observations) {
			Set<String> documented = Stream
				.concat(Arrays.stream(documentation.getLowCardinalityKeyNames()),
						Arrays.stream(documentation.getHighCardinalityKeyNames()))
				.map(KeyName::asString)
				.collect(Collectors.toSet());
			assertThat(this.registry).hasHandledContextsThatSatisfy((contexts) -> contexts.stream()
				.filter((context) -> documentation.getName().equals(context.getName()))
				.forEach((context) -> {
					Set<String> keys = Stream
						.concat(context.getLowCardinalityKeyValues().stream(),
								context.getHighCardinalityKeyValues().stream())
						.map(KeyValue::getKey)
						.collect(Collectors.toSet());
					assertThat(documented).as(documentation.getName()).containsAll(keys);
				}));
		}
	}

	static class Handlers {

		final CountDownLatch orders = new CountDownLatch(1);

		@NatsListener(id = "quotes", subject = "quotes.*", queue = "pricing")
		String quote(String request) {
			return "quoted";
		}

		@NatsListener(id = "orders", subject = "orders.>", stream = "ORDERS", durable = "orders")
		void order(String payload) {
			this.orders.countDown();
		}

		@NatsListener(id = "ready", subject = "ready.*")
		CompletableFuture<String> ready(String request) {
			// done already: its reply is sent once the listener's scope is closed
			return CompletableFuture.completedFuture("ready");
		}

		@TaskHandler("resize")
		String resize(String image) {
			return "resized " + image;
		}

	}

	static class RegionConvention extends DefaultNatsTemplateObservationConvention
			implements NatsTemplateObservationConvention {

		@Override
		public KeyValues getLowCardinalityKeyValues(NatsPublishContext context) {
			return super.getLowCardinalityKeyValues(context).and("region", "eu");
		}

	}

}
