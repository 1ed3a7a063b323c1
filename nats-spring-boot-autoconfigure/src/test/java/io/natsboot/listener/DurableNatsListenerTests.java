package io.natsboot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.actuate.NatsListenersHealthIndicator;
import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsHealthContributorAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.logging.DefaultLogLevelExtension;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable {@code @NatsListener}s (stream + durable) against a real server: at least once,
 * shared and fanned-out durables, retries, dead letters, manual acknowledgement,
 * heartbeats, order, repair of a deleted consumer and health. Each test uses a stream of
 * its own.
 */
@WithNatsServer
class DurableNatsListenerTests {

	private static final AtomicInteger streams = new AtomicInteger();

	static String url;

	private final int n = streams.incrementAndGet();

	private final String stream = "DURABLE" + this.n;

	private final String prefix = "events" + this.n;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class,
				NatsHealthContributorAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(StreamDefinition.class)
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=shop", "nats.drain-timeout=2s",
				"test.stream=" + this.stream, "test.prefix=" + this.prefix);

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void messagesPublishedWhileTheApplicationIsDownAreHandledAfterItStartsAndNeverTwice() {
		this.contextRunner.run((context) -> publish(context, "a", "b", "c"));
		List<String> handled = new ArrayList<>();
		this.contextRunner.withUserConfiguration(Billing.class).run((context) -> {
			Billing billing = context.getBean(Billing.class);
			await().until(() -> billing.handled.size() == 3);
			handled.addAll(billing.handled);
		});
		this.contextRunner.run((context) -> publish(context, "d", "e"));
		this.contextRunner.withUserConfiguration(Billing.class).run((context) -> {
			Billing billing = context.getBean(Billing.class);
			await().until(() -> billing.handled.size() == 2);
			Thread.sleep(300);
			handled.addAll(billing.handled);
			ConsumerInfo consumer = jsm(context).getConsumerInfo("shop_" + this.stream, "shop_billing");
			assertThat(consumer.getConsumerConfiguration().getFilterSubject()).isEqualTo("shop." + this.prefix + ".>");
		});
		assertThat(handled).containsExactly("a", "b", "c", "d", "e");
	}

	@Test
	void instancesOfOneDurableShareTheMessagesAndEveryDurableGetsThemAll() {
		this.contextRunner.withUserConfiguration(Billing.class).run((first) -> {
			this.contextRunner.withUserConfiguration(Billing.class).run((second) -> {
				this.contextRunner.withUserConfiguration(Audit.class).run((audit) -> {
					String[] payloads = new String[200];
					for (int i = 0; i < payloads.length; i++) {
						payloads[i] = "m" + i;
					}
					publish(first, payloads);
					Queue<String> one = first.getBean(Billing.class).handled;
					Queue<String> two = second.getBean(Billing.class).handled;
					Queue<String> all = audit.getBean(Audit.class).handled;
					await().until(() -> one.size() + two.size() == 200 && all.size() == 200);
					Thread.sleep(300);
					List<String> shared = new ArrayList<>(one);
					shared.addAll(two);
					assertThat(shared).hasSize(200).containsExactlyInAnyOrder(payloads);
					assertThat(one).isNotEmpty();
					assertThat(two).isNotEmpty();
					assertThat(all).containsExactly(payloads);
				});
			});
		});
	}

	@Test
	void aFailedMessageIsRedeliveredAfterTheBackoffAndSucceeds() {
		this.contextRunner.withUserConfiguration(FailsOnce.class).run((context) -> {
			FailsOnce listener = context.getBean(FailsOnce.class);
			publish(context, "order-1");
			await().until(() -> listener.attempts.size() == 2);
			assertThat(listener.attempts).containsExactly("order-1#1", "order-1#2");
			assertThat(listener.gaps.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
			await().until(() -> status(context, "fails-once").ackPending() == 0
					&& status(context, "fails-once").handled() == 1);
			assertThat(status(context, "fails-once").deadLettered()).isZero();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("nats.listener.redeliveries").tag("listener", "fails-once").counter().count())
				.isEqualTo(1);
			await().untilAsserted(() -> {
				PullWorkerStatus status = status(context, "fails-once");
				assertThat(meters.get("nats.listener.consumer.pending").tag("listener", "fails-once").gauge().value())
					.isEqualTo(status.pending());
				assertThat(
						meters.get("nats.listener.consumer.ack.pending").tag("listener", "fails-once").gauge().value())
					.isEqualTo(status.ackPending());
				assertThat(
						meters.get("nats.listener.consumer.redelivered").tag("listener", "fails-once").gauge().value())
					.isEqualTo(status.redelivered());
			});
		});
	}

	@Test
	void aDeadLetterStreamOfAnEarlierSnapshotKeepsItsSubjectsAndGetsTheNatsbootOnes() {
		// a namespace of its own: the other tests share shop_DEAD_LETTERS
		String ns = "earlier" + this.n;
		ApplicationContextRunner earlier = this.contextRunner.withPropertyValues("nats.namespace=" + ns);
		earlier.run((context) -> jsm(context).addStream(StreamConfiguration.builder()
			.name(ns + "_DEAD_LETTERS")
			.subjects(ns + ".dead-letters.>")
			.storageType(StorageType.File)
			.build()));
		earlier.withUserConfiguration(Poison.class).run((context) -> {
			publish(context, "poison");
			MessageInfo dead = await().until(() -> lastMessage(context, ns + "_DEAD_LETTERS",
					ns + ".natsboot.dead-letters." + this.stream + ".poison"), (info) -> info != null);
			assertThat(new String(dead.getData())).isEqualTo("poison");
			assertThat(jsm(context).getStreamInfo(ns + "_DEAD_LETTERS").getConfiguration().getSubjects())
				.containsExactly(ns + ".dead-letters.>", ns + ".natsboot.dead-letters.>");
		});
	}

	@Test
	void aPoisonMessageGoesToDeadLettersAfterMaxDeliverWhileTheOthersAreHandled() throws Exception {
		this.contextRunner.withUserConfiguration(Poison.class).run((context) -> {
			Poison listener = context.getBean(Poison.class);
			publish(context, "good-1", "poison", "good-2");
			await().until(() -> listener.poisonAttempts.get() == 3 && listener.handled.size() == 2);
			assertThat(listener.handled).containsExactly("good-1", "good-2");
			MessageInfo dead = await().until(() -> lastMessage(context, "shop_DEAD_LETTERS",
					"shop.natsboot.dead-letters." + this.stream + ".poison"), (info) -> info != null);
			assertThat(new String(dead.getData())).isEqualTo("poison");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.EXCEPTION_HEADER))
				.isEqualTo(IllegalArgumentException.class.getName());
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.MESSAGE_HEADER))
				.isEqualTo("poison is not an order");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.ATTEMPTS_HEADER)).isEqualTo("3");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.SUBJECT_HEADER))
				.isEqualTo("shop." + this.prefix + ".new");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.STREAM_HEADER))
				.isEqualTo("shop_" + this.stream);
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.CONSUMER_HEADER))
				.isEqualTo("shop_poison");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.FAILED_AT_HEADER)).isNotBlank();
			Thread.sleep(500);
			assertThat(listener.poisonAttempts).hasValue(3);
			assertThat(status(context, "poison").deadLettered()).isEqualTo(1);
			assertThat(context.getBean(MeterRegistry.class)
				.get("nats.listener.dead.letters")
				.tag("listener", "poison")
				.counter()
				.count()).isEqualTo(1);
			await().until(() -> status(context, "poison").ackPending() == 0);
		});
	}

	@Test
	void anUnreadablePayloadGoesToDeadLettersWithoutRetries() {
		this.contextRunner.withUserConfiguration(Typed.class).run((context) -> {
			Typed listener = context.getBean(Typed.class);
			context.getBean(NatsTemplate.class).jetStream().publish(this.prefix + ".typed", "{not json");
			publish(context, "{\"id\":\"o-2\",\"quantity\":2}");
			await().until(() -> listener.orders.size() == 1);
			MessageInfo dead = await().until(() -> lastMessage(context, "shop_DEAD_LETTERS",
					"shop.natsboot.dead-letters." + this.stream + ".typed"), (info) -> info != null);
			assertThat(new String(dead.getData())).isEqualTo("{not json");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.ATTEMPTS_HEADER)).isEqualTo("1");
			assertThat(listener.orders).containsExactly(new Order("o-2", 2));
		});
	}

	@Test
	@ExtendWith({ OutputCaptureExtension.class, DefaultLogLevelExtension.class })
	void anUnreadablePayloadIsLoggedInOneLineWithoutStackTrace(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(Typed.class).run((context) -> {
			context.getBean(NatsTemplate.class).jetStream().publish(this.prefix + ".typed", "not json");
			await().until(() -> status(context, "typed").deadLettered() == 1);
		});
		assertThat(DefaultLogLevelExtension.warningsAndErrors(output.getOut())).singleElement()
			.satisfies((line) -> assertThat(line).contains("'typed'", "shop." + this.prefix + ".typed",
					Order.class.getName(), "Unrecognized token 'not'"));
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	@Test
	void aListenerWithAnAcknowledgmentAcknowledgesItself() {
		this.contextRunner.withUserConfiguration(Manual.class).run((context) -> {
			Manual listener = context.getBean(Manual.class);
			publish(context, "first", "second");
			await().until(() -> listener.calls.size() == 3);
			assertThat(listener.calls).containsExactlyInAnyOrder("first#1", "first#2", "second#1");
			await()
				.until(() -> status(context, "manual").ackPending() == 0 && status(context, "manual").pending() == 0);
			Thread.sleep(1200); // past the ack wait: nothing comes again
			assertThat(listener.calls).hasSize(3);
		});
	}

	@Test
	void aHandlerRunningLongerThanTheAckWaitIsNotRedelivered() throws Exception {
		this.contextRunner.withUserConfiguration(Slow.class).run((context) -> {
			Slow listener = context.getBean(Slow.class);
			publish(context, "long-job");
			await().atMost(Duration.ofSeconds(20)).until(() -> listener.finished.get() == 1);
			Thread.sleep(1500);
			assertThat(listener.started).hasValue(1);
			assertThat(listener.deliveries).containsExactly(1L);
		});
	}

	@Test
	void withConcurrencyOneMessagesAreHandledInStreamOrderAndWithMoreInParallel() {
		this.contextRunner.withUserConfiguration(Ordered.class, Parallel.class).run((context) -> {
			String[] payloads = new String[50];
			for (int i = 0; i < payloads.length; i++) {
				payloads[i] = String.valueOf(i);
			}
			publish(context, payloads);
			Ordered ordered = context.getBean(Ordered.class);
			await().until(() -> ordered.handled.size() == 50);
			assertThat(ordered.handled).containsExactly(payloads);
			Parallel parallel = context.getBean(Parallel.class);
			assertThat(parallel.fourAtOnce.await(10, TimeUnit.SECONDS)).isTrue();
			await().until(() -> parallel.handled.get() == 50);
		});
	}

	@Test
	void aConsumerDeletedBehindTheApplicationsBackIsCreatedAgain() throws Exception {
		this.contextRunner.withUserConfiguration(Billing.class).run((context) -> {
			Billing billing = context.getBean(Billing.class);
			publish(context, "before");
			await().until(() -> billing.handled.contains("before"));
			assertThat(jsm(context).deleteConsumer("shop_" + this.stream, "shop_billing")).isTrue();
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> jsm(context).getConsumerInfo("shop_" + this.stream, "shop_billing") != null);
			publish(context, "after");
			await().atMost(Duration.ofSeconds(20)).until(() -> billing.handled.contains("after"));
		});
	}

	@Test
	void aMessageWhoseHandlerNeverReturnsIsDeadLetteredFromTheMaxDeliveriesAdvisory() throws Exception {
		this.contextRunner.withUserConfiguration(Crashing.class).run((context) -> {
			Crashing listener = context.getBean(Crashing.class);
			publish(context, "blocker");
			assertThat(listener.blocking.await(10, TimeUnit.SECONDS)).isTrue();
			publish(context, "crash");
			// another instance of the durable takes the message and dies twice, never
			// acknowledging
			ConsumerContext consumer = context.getBean(Connection.class)
				.getConsumerContext("shop_" + this.stream, "shop_crashing");
			for (int delivery = 1; delivery <= 2; delivery++) {
				try (FetchConsumer fetch = consumer
					.fetch(FetchConsumeOptions.builder().maxMessages(1).expiresIn(3000).build())) {
					Message message = fetch.nextMessage();
					assertThat(message).isNotNull();
					assertThat(new String(message.getData())).isEqualTo("crash");
				}
			}
			try (FetchConsumer waiting = consumer
				.fetch(FetchConsumeOptions.builder().maxMessages(1).expiresIn(3000).build())) {
				// past max deliver: the server gives up
				assertThat(waiting.nextMessage()).isNull();
			}
			MessageInfo dead = await().until(() -> lastMessage(context, "shop_DEAD_LETTERS",
					"shop.natsboot.dead-letters." + this.stream + ".crashing"), (info) -> info != null);
			assertThat(new String(dead.getData())).isEqualTo("crash");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.EXCEPTION_HEADER))
				.isEqualTo("io.natsboot.jetstream.MaxDeliveriesExceeded");
			assertThat(dead.getHeaders().getFirst(DeadLetterPublishingRecoverer.ATTEMPTS_HEADER)).isEqualTo("2");
			listener.release.countDown();
		});
	}

	@Test
	void aListenerOnAMissingStreamIsDownInHealthUntilTheStreamExists() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsAutoConfiguration.class, NatsHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Billing.class)
			.withPropertyValues("nats.servers=" + url, "nats.startup=wait", "nats.namespace=shop",
					"test.stream=" + this.stream, "test.prefix=" + this.prefix)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NatsListenersHealthIndicator health = context.getBean(NatsListenersHealthIndicator.class);
				await().atMost(Duration.ofSeconds(20)).until(() -> health.health(true).getStatus() == Status.DOWN);
				assertThat(health.health(true).getDetails().get("billing").toString()).contains("shop_" + this.stream)
					.contains("does not exist");

				context.getBean(NatsTemplate.class)
					.jetStream()
					.createOrUpdateStream(new StreamDefinition().stream(context.getEnvironment()).configuration());
				await().atMost(Duration.ofSeconds(20)).until(() -> health.health(true).getStatus() == Status.UP);
				publish(context, "late");
				await().until(() -> context.getBean(Billing.class).handled.contains("late"));
			});
	}

	@Test
	void aListenerOnAMissingStreamFailsAFailFastStartupNamingTheStream() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withUserConfiguration(Billing.class)
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "test.stream=MISSING" + this.n,
					"test.prefix=" + this.prefix)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Worker 'billing': stream 'MISSING" + this.n + "' does not exist")
					.hasStackTraceContaining("NatsStreamDefinition");
			});
	}

	private void publish(org.springframework.context.ApplicationContext context, String... payloads) {
		NatsTemplate template = context.getBean(NatsTemplate.class);
		for (String payload : payloads) {
			template.jetStream().publish(this.prefix + ".new", payload);
		}
	}

	private static PullWorkerStatus status(org.springframework.context.ApplicationContext context, String id) {
		return ((JetStreamListenerContainer) context.getBean(NatsListenerEndpointRegistry.class)
			.getListenerContainer(id)).status();
	}

	private static JetStreamManagement jsm(org.springframework.context.ApplicationContext context) throws Exception {
		return context.getBean(Connection.class).jetStreamManagement();
	}

	private static MessageInfo lastMessage(org.springframework.context.ApplicationContext context, String stream,
			String subject) {
		try {
			return jsm(context).getLastMessage(stream, subject);
		}
		catch (Exception ex) {
			return null;
		}
	}

	record Order(String id, int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class StreamDefinition {

		@Bean
		NatsStreamDefinition stream(Environment environment) {
			return NatsStreamDefinition.of(environment.getProperty("test.stream"),
					environment.getProperty("test.prefix") + ".>");
		}

	}

	static class Billing {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		@NatsListener(id = "billing", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "billing")
		void bill(String payload) {
			this.handled.add(payload);
		}

	}

	static class Audit {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		@NatsListener(id = "audit", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "audit")
		void audit(String payload) {
			this.handled.add(payload);
		}

	}

	static class FailsOnce {

		final List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();

		final List<Long> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();

		private volatile long last;

		@NatsListener(id = "fails-once", subject = "${test.prefix}.>", stream = "${test.stream}",
				durable = "fails-once", backoff = "250ms")
		void handle(String payload, JetStreamMessage metadata) {
			long now = System.nanoTime();
			if (this.last != 0) {
				this.gaps.add(now - this.last);
			}
			this.last = now;
			this.attempts.add(payload + "#" + metadata.deliveredCount());
			if (metadata.deliveredCount() == 1) {
				throw new IllegalStateException("the first try fails");
			}
		}

	}

	static class Poison {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		final AtomicInteger poisonAttempts = new AtomicInteger();

		@NatsListener(id = "poison", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "poison",
				maxDeliver = "3", backoff = "50ms")
		void handle(String payload) {
			if (payload.equals("poison")) {
				this.poisonAttempts.incrementAndGet();
				throw new IllegalArgumentException("poison is not an order");
			}
			this.handled.add(payload);
		}

	}

	static class Typed {

		final Queue<Order> orders = new ConcurrentLinkedQueue<>();

		@NatsListener(id = "typed", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "typed")
		void handle(Order order) {
			this.orders.add(order);
		}

	}

	static class Manual {

		final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

		@NatsListener(id = "manual", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "manual",
				ackWait = "1s")
		void handle(String payload, Acknowledgment acknowledgment, JetStreamMessage metadata) {
			this.calls.add(payload + "#" + metadata.deliveredCount());
			if (payload.equals("first") && metadata.deliveredCount() == 1) {
				acknowledgment.nak();
			}
			else {
				acknowledgment.ack();
			}
		}

	}

	static class Slow {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		final List<Long> deliveries = new java.util.concurrent.CopyOnWriteArrayList<>();

		@NatsListener(id = "slow", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "slow",
				ackWait = "1s")
		void handle(String payload, JetStreamMessage metadata) throws InterruptedException {
			this.started.incrementAndGet();
			this.deliveries.add(metadata.deliveredCount());
			Thread.sleep(3000);
			this.finished.incrementAndGet();
		}

	}

	static class Ordered {

		final List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();

		@NatsListener(id = "ordered", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "ordered")
		void handle(String payload) throws InterruptedException {
			Thread.sleep((Integer.parseInt(payload) % 3 == 0) ? 5 : 0);
			this.handled.add(payload);
		}

	}

	static class Parallel {

		final CountDownLatch fourAtOnce = new CountDownLatch(4);

		final AtomicInteger handled = new AtomicInteger();

		@NatsListener(id = "parallel", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "parallel",
				concurrency = "4", batchSize = "4")
		void handle(String payload) throws InterruptedException {
			this.fourAtOnce.countDown();
			this.fourAtOnce.await(5, TimeUnit.SECONDS);
			this.handled.incrementAndGet();
		}

	}

	static class Crashing {

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@NatsListener(id = "crashing", subject = "${test.prefix}.>", stream = "${test.stream}", durable = "crashing",
				maxDeliver = "2", ackWait = "1s")
		void handle(String payload) throws InterruptedException {
			if (payload.equals("blocker")) {
				this.blocking.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
		}

	}

}
