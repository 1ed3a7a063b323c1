package io.natsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.NatsListenerConfigurer;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.config.SimpleNatsListenerEndpoint;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsServiceErrorException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import io.natsboot.listener.adapter.Subject;
import io.natsboot.logging.DefaultLogLevelExtension;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @NatsListener} methods against a real server.
 */
@WithNatsServer(jetStream = false)
class NatsListenerTests {

	static String url;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=shop");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void argumentsAreConvertedAndResolved() {
		this.contextRunner.withUserConfiguration(ArgumentsListener.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			ArgumentsListener listener = context.getBean(ArgumentsListener.class);
			template.publish(NatsMessage.builder("orders.created")
				.payload(new String(template.getMessageConverter().write(new Order("o-1", 2), "x").data()))
				.header("priority", "high")
				.header("Content-Type", "application/json")
				.build());
			await().until(() -> listener.calls.size() == 1);
			Map<String, Object> call = listener.calls.get(0);
			assertThat(call).containsEntry("order", new Order("o-1", 2))
				.containsEntry("priority", "high")
				.containsEntry("subject", "orders.created")
				.containsEntry("fullSubject", "shop.orders.created")
				.containsEntry("nativeSubject", "shop.orders.created");
			assertThat((Map<String, Object>) call.get("headers")).containsEntry("priority", "high");
		});
	}

	@Test
	void wildcardsNamespacesAndPlaceholders() {
		this.contextRunner.withUserConfiguration(WildcardListeners.class)
			.withPropertyValues("app.audit-subject=audit.>")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				WildcardListeners listeners = context.getBean(WildcardListeners.class);
				template.publish("events.created", "1");
				template.publish("events.user.login", "2");
				template.publish("audit.users.created", "3");
				template.withoutNamespace().publish("raw.events", "4");
				await().until(() -> listeners.greater.size() == 2 && listeners.audit.size() == 1
						&& listeners.raw.size() == 1);
				template.flush(Duration.ofSeconds(2));
				assertThat(listeners.star).containsExactly("events.created");
				assertThat(listeners.greater).containsExactlyInAnyOrder("events.created", "events.user.login");
				assertThat(listeners.audit).containsExactly("audit.users.created");
				assertThat(listeners.raw).containsExactly("raw.events");
			});
	}

	@Test
	void aQueueGroupSharesTheLoadBetweenTwoApplications() {
		this.contextRunner.withUserConfiguration(QueueWorker.class)
			.run((first) -> this.contextRunner.withUserConfiguration(QueueWorker.class).run((second) -> {
				NatsTemplate template = first.getBean(NatsTemplate.class);
				QueueWorker one = first.getBean(QueueWorker.class);
				QueueWorker two = second.getBean(QueueWorker.class);
				// both subscriptions registered on the server before anything is
				// published
				for (var context : List.of(first, second)) {
					await().until(() -> context.getBean(NatsListenerEndpointRegistry.class)
						.getListenerContainer("worker")
						.isSubscribed());
					context.getBean(NatsTemplate.class).flush(Duration.ofSeconds(2));
				}
				for (int i = 0; i < 200; i++) {
					template.publish("work.items", "item-" + i);
				}
				await().until(() -> one.handled.size() + two.handled.size() == 200);
				template.flush(Duration.ofSeconds(2));
				assertThat(one.handled.size() + two.handled.size()).isEqualTo(200);
				assertThat(one.handled).isNotEmpty();
				assertThat(two.handled).isNotEmpty();
				assertThat(one.handled).doesNotContainAnyElementsOf(two.handled);
			}));
	}

	@Test
	void returnValuesAndFuturesAnswerRequests() {
		this.contextRunner.withUserConfiguration(Services.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			assertThat(template.requestAndConvert("prices.quote", new Order("o-9", 3), Quote.class))
				.isEqualTo(new Quote("o-9", 30));
			assertThat(template.requestAndConvert("prices.async", new Order("o-8", 1), Quote.class))
				.isEqualTo(new Quote("o-8", 10));
			assertThat(template.request("prices.text", "ping", Duration.ofSeconds(2)).payloadAsString())
				.isEqualTo("pong: ping");
		});
	}

	@Test
	void failuresAnswerRequestsWithErrorsAndTheErrorHandlerReplies() {
		this.contextRunner.withUserConfiguration(Services.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsServiceErrorException.class)
				.isThrownBy(() -> template.request("prices.broken", "x", Duration.ofSeconds(2)))
				.satisfies((ex) -> {
					assertThat(ex.getCode()).isEqualTo(500);
					assertThat(ex.getError()).contains("pricing is down");
				});
			assertThatExceptionOfType(NatsServiceErrorException.class)
				.isThrownBy(() -> template.request("prices.quote", "not json", Duration.ofSeconds(2)))
				.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(400));
			assertThat(template.request("prices.guarded", "x", Duration.ofSeconds(2)).payloadAsString())
				.isEqualTo("fallback for shop.prices.guarded");
		});
	}

	@Test
	@ExtendWith({ OutputCaptureExtension.class, DefaultLogLevelExtension.class })
	void anUnconvertibleRequestIsAnsweredWith400AndLoggedInOneLineWithoutStackTrace(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(QuoteService.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsServiceErrorException.class)
				.isThrownBy(() -> template.request("quotes", "not json", Duration.ofSeconds(2)))
				.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(400));
			// the subscription goes on
			assertThat(template.requestAndConvert("quotes", new Order("o-1", 2), Quote.class))
				.isEqualTo(new Quote("o-1", 20));
		});
		assertThat(DefaultLogLevelExtension.warningsAndErrors(output.getOut())).singleElement()
			.satisfies((line) -> assertThat(line).contains("'quotes'", "'shop.quotes'", Order.class.getName(),
					"Unrecognized token 'not'"));
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	@Test
	void aPoisonMessageDoesNotStopTheListener() {
		this.contextRunner.withUserConfiguration(PoisonAware.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			PoisonAware listener = context.getBean(PoisonAware.class);
			template.publish("payments", "{\"id\":\"p1\",\"quantity\":1}");
			template.publish("payments", "{ this is not json");
			template.publish("payments", "{\"id\":\"p2\",\"quantity\":1}");
			template.publish("payments", "{\"id\":\"boom\",\"quantity\":1}");
			template.publish("payments", "{\"id\":\"p3\",\"quantity\":1}");
			await().until(() -> listener.handled.size() == 3);
			assertThat(listener.handled).containsExactly("p1", "p2", "p3");
		});
	}

	@Test
	void concurrencyRunsTheListenerOnSeveralThreadsAtOnce() {
		this.contextRunner.withUserConfiguration(ParallelListener.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			ParallelListener listener = context.getBean(ParallelListener.class);
			for (int i = 0; i < 4; i++) {
				template.publish("parallel", "m" + i);
			}
			// all four wait on one latch: only four threads at once can release it
			assertThat(listener.allStarted.await(10, TimeUnit.SECONDS)).isTrue();
			listener.release.countDown();
			await().until(() -> listener.done.get() == 4);
			assertThat(((SubscriptionListenerContainer) context.getBean(NatsListenerEndpointRegistry.class)
				.getListenerContainer("parallel")).getConcurrency()).isEqualTo(4);
		});
	}

	@Test
	void containersStopAndStartById() {
		this.contextRunner.withUserConfiguration(QueueWorker.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			QueueWorker worker = context.getBean(QueueWorker.class);
			NatsListenerEndpointRegistry registry = context.getBean(NatsListenerEndpointRegistry.class);
			NatsListenerContainer container = registry.getListenerContainer("worker");
			assertThat(registry.getListenerContainerIds()).containsExactly("worker");
			container.stop();
			assertThat(container.isRunning()).isFalse();
			template.publish("work.items", "while-stopped");
			template.flush(Duration.ofSeconds(2));
			container.start();
			await().until(container::isSubscribed);
			template.publish("work.items", "after-start");
			await().until(() -> worker.handled.contains("after-start"));
			assertThat(worker.handled).doesNotContain("while-stopped");
		});
	}

	@Test
	void listenerMetricsAreRecorded() {
		this.contextRunner.withUserConfiguration(PoisonAware.class)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				template.publish("payments", "{\"id\":\"p1\",\"quantity\":1}");
				template.publish("payments", "{\"id\":\"boom\",\"quantity\":1}");
				await()
					.until(() -> registry.find("nats.listener.errors").tag("listener", "payments").counter() != null);
				await().until(() -> registry.find("nats.listener").tag("outcome", "success").timer() != null
						&& registry.get("nats.listener").tag("outcome", "success").timer().count() == 1);
			});
	}

	@Test
	void listenersWithoutAnIdAreNamedAfterTheirBeanAndMethodTheSameAtEveryStart() {
		List<Map<String, String>> subjectsById = new CopyOnWriteArrayList<>();
		for (int start = 0; start < 2; start++) {
			this.contextRunner.withBean("billing", Billing.class)
				.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
				.run((context) -> {
					NatsListenerEndpointRegistry registry = context.getBean(NatsListenerEndpointRegistry.class);
					Map<String, String> subjects = new java.util.TreeMap<>();
					registry.getListenerContainerIds()
						.forEach((id) -> subjects.put(id, registry.getListenerContainer(id).getSubject()));
					subjectsById.add(subjects);
					await().until(() -> registry.getListenerContainer("billing.bill").isSubscribed());
					context.getBean(NatsTemplate.class).publish("bills.orders", "{\"id\":\"o-1\",\"quantity\":1}");
					await().until(() -> context.getBean(MeterRegistry.class)
						.find("nats.listener")
						.tag("listener", "billing.bill")
						.timer() != null);
				});
		}
		assertThat(subjectsById.get(0)).containsExactlyInAnyOrderEntriesOf(
				Map.of("billing.bill", "shop.bills.orders", "billing.bill#2", "shop.bills.text", "billing.audit",
						"shop.audit.a", "billing.audit#2", "shop.audit.b", "invoices", "shop.invoices"));
		assertThat(subjectsById.get(1)).isEqualTo(subjectsById.get(0));
	}

	@Test
	void programmaticEndpointsFromAConfigurer() {
		this.contextRunner.withUserConfiguration(ProgrammaticListener.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			assertThat(template.request("programmatic.echo", "hi", Duration.ofSeconds(2)).payloadAsString())
				.isEqualTo("echo: hi");
			assertThat(context.getBean(NatsListenerEndpointRegistry.class).getListenerContainerIds())
				.contains("programmatic");
		});
	}

	@Test
	void repeatedAnnotationsMaxMessagesAndByteReplies() {
		this.contextRunner.withUserConfiguration(RepeatedAndLimited.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			RepeatedAndLimited listener = context.getBean(RepeatedAndLimited.class);
			template.publish("alerts.cpu", "1");
			template.publish("warnings.disk", "2");
			await().until(() -> listener.seen.size() == 2);
			assertThat(listener.seen).containsExactlyInAnyOrder("alerts.cpu", "warnings.disk");

			for (int i = 0; i < 5; i++) {
				template.publish("limited", "m" + i);
			}
			await().until(() -> listener.limited.size() == 3);
			template.flush(Duration.ofSeconds(2));
			Thread.sleep(200);
			assertThat(listener.limited).containsExactly("m0", "m1", "m2");

			assertThat(template.request("bytes.service", new byte[] { 1, 2 }, Duration.ofSeconds(2)).payload())
				.containsExactly(2, 1);
		});
	}

	record Order(String id, int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class RepeatedAndLimited {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<String> limited = new CopyOnWriteArrayList<>();

		@NatsListener(subject = "alerts.*")
		@NatsListener(subject = "warnings.*")
		void alert(@Subject String subject) {
			this.seen.add(subject);
		}

		@NatsListener(subject = "limited", maxMessages = "3")
		void limited(String message) {
			this.limited.add(message);
		}

		@NatsListener(subject = "bytes.service")
		byte[] reverse(byte[] request) {
			return new byte[] { request[1], request[0] };
		}

	}

	record Quote(String orderId, int price) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ArgumentsListener {

		final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();

		@NatsListener(subject = "orders.*")
		void onOrder(Order order, @Header("priority") String priority, @Subject String subject,
				@Headers Map<String, Object> headers, NatsMessage message, io.nats.client.Message nativeMessage) {
			this.calls.add(Map.of("order", order, "priority", priority, "subject", subject, "headers", headers,
					"fullSubject", message.subject(), "nativeSubject", nativeMessage.getSubject()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WildcardListeners {

		final List<String> star = new CopyOnWriteArrayList<>();

		final List<String> greater = new CopyOnWriteArrayList<>();

		final List<String> audit = new CopyOnWriteArrayList<>();

		final List<String> raw = new CopyOnWriteArrayList<>();

		@NatsListener(subject = "events.*")
		void star(@Subject String subject) {
			this.star.add(subject);
		}

		@NatsListener(subject = "events.>")
		void greater(@Subject String subject) {
			this.greater.add(subject);
		}

		@NatsListener(subject = "${app.audit-subject}")
		void audit(@Subject String subject) {
			this.audit.add(subject);
		}

		@NatsListener(subject = "raw.events", namespaced = false)
		void raw(@Subject String subject) {
			this.raw.add(subject);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QueueWorker {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@NatsListener(id = "worker", subject = "work.items", queue = "workers")
		void work(String item) {
			this.handled.add(item);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@NatsListener(subject = "prices.quote")
		Quote quote(Order order) {
			return new Quote(order.id(), order.quantity() * 10);
		}

		@NatsListener(subject = "prices.async")
		CompletableFuture<Quote> asyncQuote(Order order) {
			return CompletableFuture.supplyAsync(() -> new Quote(order.id(), order.quantity() * 10));
		}

		@NatsListener(subject = "prices.text")
		String text(String request) {
			return "pong: " + request;
		}

		@NatsListener(subject = "prices.broken")
		String broken(String request) {
			throw new IllegalStateException("pricing is down");
		}

		@NatsListener(subject = "prices.guarded", errorHandler = "fallbackHandler")
		String guarded(String request) {
			throw new IllegalStateException("guarded failure");
		}

		@Bean
		NatsListenerErrorHandler fallbackHandler() {
			return (message, exception) -> "fallback for " + message.subject();
		}

	}

	static class Billing {

		// overloads: the one whose parameter types come first by name is billing.bill
		@NatsListener(subject = "bills.orders")
		void bill(Order order) {
		}

		@NatsListener(subject = "bills.text")
		void bill(String text) {
		}

		@NatsListener(subject = "audit.a")
		@NatsListener(subject = "audit.b")
		void audit(String text) {
		}

		@NatsListener(id = "invoices", subject = "invoices")
		void invoice(String text) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QuoteService {

		@NatsListener(id = "quotes", subject = "quotes")
		Quote quote(Order order) {
			return new Quote(order.id(), order.quantity() * 10);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoisonAware {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@NatsListener(id = "payments", subject = "payments")
		void pay(Order order) {
			if (order.id().equals("boom")) {
				throw new IllegalStateException("cannot pay " + order.id());
			}
			this.handled.add(order.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ParallelListener {

		final CountDownLatch allStarted = new CountDownLatch(4);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger done = new AtomicInteger();

		@NatsListener(id = "parallel", subject = "parallel", concurrency = "4")
		void work(String message) throws InterruptedException {
			this.allStarted.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			this.done.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProgrammaticListener {

		@Bean
		NatsListenerConfigurer programmatic() {
			return (registrar) -> registrar.registerEndpoint(new SimpleNatsListenerEndpoint("programmatic",
					"programmatic.echo", (message) -> "echo: " + message.payloadAsString()));
		}

	}

}
