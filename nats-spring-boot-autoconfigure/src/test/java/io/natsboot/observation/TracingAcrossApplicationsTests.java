package io.natsboot.observation;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import brave.handler.MutableSpan;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across two applications on one server, with Boot's tracing on Brave (W3C
 * propagation, MDC) in each: a sender and a receiver context whose spans one
 * {@link RecordedSpans} collects. Publish to a listener, request to a listener's reply,
 * JetStream publish to a durable listener with a redelivery, a task enqueued and run
 * twice, a stock client's hand-written {@code traceparent}; and no trace headers at all
 * when observations are off.
 */
@WithNatsServer
class TracingAcrossApplicationsTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "trace" + namespaces.incrementAndGet();

	private final RecordedSpans spans = new RecordedSpans();

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	private ApplicationContextRunner application(String name) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class, NatsAutoConfiguration.class,
					NatsTaskQueueAutoConfiguration.class))
			.withBean(RecordedSpans.class, () -> this.spans)
			.withPropertyValues("spring.application.name=" + name, "management.tracing.sampling.probability=1.0",
					"nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace,
					"nats.drain-timeout=2s", "nats.task-queue.retry.initial-interval=100ms",
					"nats.task-queue.retry.jitter=0");
	}

	/**
	 * The application with the listeners and task handler, and the durable listener's
	 * stream.
	 */
	private ApplicationContextRunner receiver() {
		return application("receiver").withBean(Listeners.class)
			.withBean(NatsStreamDefinition.class, () -> NatsStreamDefinition.of("PAYMENTS", "payments.>"));
	}

	@Test
	void aPublishAndTheListenerThatGetsItAreOneTrace() {
		receiver().run((receiver) -> application("sender").run((sender) -> {
			MutableSpan checkout = withinSpan(sender, "checkout",
					() -> sender.getBean(NatsTemplate.class).publish("orders.20417.placed", "{}"));
			Listeners listeners = receiver.getBean(Listeners.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> !listeners.traceIds.isEmpty());

			MutableSpan publish = this.spans.one("publish " + this.namespace + ".orders.*.placed");
			MutableSpan process = this.spans.one("process " + this.namespace + ".orders.>");
			assertThat(publish.parentId()).isEqualTo(checkout.id());
			assertThat(publish.kind()).isEqualTo(brave.Span.Kind.PRODUCER);
			assertThat(publish.localServiceName()).isEqualTo("sender");
			assertThat(process.parentId()).isEqualTo(publish.id());
			assertThat(process.traceId()).isEqualTo(checkout.traceId());
			assertThat(process.kind()).isEqualTo(brave.Span.Kind.CONSUMER);
			assertThat(process.localServiceName()).isEqualTo("receiver");
			assertThat(process.tags()).containsEntry("messaging.system", "nats")
				.containsEntry("messaging.destination.name", this.namespace + ".orders.>")
				.containsEntry("nats.listener.id", "orders")
				.containsEntry("nats.subject", this.namespace + ".orders.20417.placed");
			// the listener's logs carry the trace
			assertThat(listeners.traceIds).containsExactly(checkout.traceId());
		}));
	}

	@Test
	void aRequestTheListenerWhoAnswersAndItsReplyAreOneTrace() {
		receiver().run((receiver) -> application("sender").run((sender) -> {
			NatsMessage[] reply = new NatsMessage[1];
			MutableSpan caller = withinSpan(sender, "quote-page", () -> reply[0] = sender.getBean(NatsTemplate.class)
				.request("quotes.eur", "{\"amount\":3}", Duration.ofSeconds(5)));
			assertThat(reply[0].payloadAsString()).contains("quoted");

			MutableSpan request = this.spans.one("request " + this.namespace + ".quotes.eur");
			MutableSpan process = this.spans.one("process " + this.namespace + ".quotes.*");
			MutableSpan answer = this.spans.one("publish _INBOX.*");
			assertThat(request.parentId()).isEqualTo(caller.id());
			assertThat(request.kind()).isEqualTo(brave.Span.Kind.CLIENT);
			assertThat(process.parentId()).isEqualTo(request.id());
			assertThat(answer.parentId()).isEqualTo(process.id());
			assertThat(answer.localServiceName()).isEqualTo("receiver");
			assertThat(List.of(request.traceId(), process.traceId(), answer.traceId())).containsOnly(caller.traceId());
		}));
	}

	@Test
	void aJetStreamPublishAndEachDeliveryToTheDurableListenerAreOneTrace() {
		receiver().run((receiver) -> application("sender").run((sender) -> {
			MutableSpan caller = withinSpan(sender, "pay",
					() -> sender.getBean(NatsTemplate.class).jetStream().publish("payments.card", "{}"));
			List<MutableSpan> deliveries = this.spans.await("process " + this.namespace + ".payments.>", 2);

			MutableSpan publish = this.spans.one("publish " + this.namespace + ".payments.card");
			assertThat(publish.parentId()).isEqualTo(caller.id());
			assertThat(publish.tags()).containsEntry("nats.stream", this.namespace + "_PAYMENTS")
				.containsEntry("nats.stream.sequence", "1");
			assertThat(deliveries).allSatisfy((delivery) -> {
				assertThat(delivery.traceId()).isEqualTo(caller.traceId());
				assertThat(delivery.parentId()).isEqualTo(publish.id());
			});
			// the first delivery failed: its span ends with the error; the
			// redelivery's
			// count is on its own span
			assertThat(deliveries.get(0).tags()).containsEntry("nats.delivery.count", "1");
			assertThat(deliveries.get(0).error()).hasMessage("declined once");
			assertThat(deliveries.get(1).tags()).containsEntry("nats.delivery.count", "2");
			assertThat(deliveries.get(1).error()).isNull();
			assertThat(deliveries.get(1).tags()).containsEntry("nats.consumer", this.namespace + "_payments");
		}));
	}

	@Test
	void everyAttemptToRunATaskIsAChildOfItsEnqueue() {
		application("worker").withBean(Listeners.class)
			.withBean(NatsStreamDefinition.class, () -> NatsStreamDefinition.of("PAYMENTS", "payments.>"))
			.run((worker) -> application("producer").run((producer) -> {
				TaskReceipt[] receipt = new TaskReceipt[1];
				MutableSpan caller = withinSpan(producer, "signup",
						() -> receipt[0] = producer.getBean(TaskQueue.class).enqueue("welcome-mail", "ada"));
				assertThat(producer.getBean(TaskQueue.class)
					.awaitResult(receipt[0].id(), String.class, Duration.ofSeconds(20))).isEqualTo("sent to ada");
				List<MutableSpan> runs = this.spans.await("run welcome-mail", 2);

				MutableSpan enqueue = this.spans.one("enqueue welcome-mail");
				assertThat(enqueue.parentId()).isEqualTo(caller.id());
				assertThat(enqueue.localServiceName()).isEqualTo("producer");
				assertThat(enqueue.tags()).containsEntry("nats.task.id", receipt[0].id())
					.containsEntry("nats.task.queue", "default")
					.containsEntry("nats.task.type", "welcome-mail");
				assertThat(runs).allSatisfy((run) -> {
					assertThat(run.traceId()).isEqualTo(caller.traceId());
					assertThat(run.parentId()).isEqualTo(enqueue.id());
					assertThat(run.localServiceName()).isEqualTo("worker");
				});
				assertThat(runs.get(0).tags()).containsEntry("nats.task.attempt", "1")
					.containsEntry("nats.task.outcome", "retry");
				assertThat(runs.get(0).error()).hasMessage("mail server busy");
				assertThat(runs.get(1).tags()).containsEntry("nats.task.attempt", "2")
					.containsEntry("nats.task.outcome", "success");
				assertThat(runs.get(1).error()).isNull();
				// the handler's logs carry the trace on both attempts
				assertThat(worker.getBean(Listeners.class).taskTraceIds).containsExactly(caller.traceId(),
						caller.traceId());
			}));
	}

	@Test
	void aStockClientsHandWrittenTraceparentIsContinued() throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String spanId = "00f067aa0ba902b7";
		receiver().run((receiver) -> {
			try (Connection plain = Nats.connect(url)) {
				Headers headers = new Headers().put("traceparent", "00-" + traceId + "-" + spanId + "-01");
				plain.publish(this.namespace + ".orders.1.placed", headers, "{}".getBytes());
				plain.flush(Duration.ofSeconds(2));
			}
			MutableSpan process = this.spans.one("process " + this.namespace + ".orders.>");
			assertThat(process.traceId()).isEqualTo(traceId);
			assertThat(process.parentId()).isEqualTo(spanId);
		});
	}

	@Test
	void messagesCarryTheTraceContextOnlyWhenTheirObservationsAreOn() throws Exception {
		try (Connection plain = Nats.connect(url)) {
			Subscription wire = plain.subscribe(this.namespace + ".wire.>");
			plain.flush(Duration.ofSeconds(2));
			application("sender").run((sender) -> withinSpan(sender, "on",
					() -> sender.getBean(NatsTemplate.class).publish("wire.on", "{}")));
			application("sender").withPropertyValues("nats.observation.template=false")
				.run((sender) -> withinSpan(sender, "off",
						() -> sender.getBean(NatsTemplate.class).publish("wire.off", "{}")));
			// Boot's switch by observation name turns off the publishes alone
			application("sender").withPropertyValues("management.observations.enable.nats.publish=false")
				.run((sender) -> withinSpan(sender, "publishes-off",
						() -> sender.getBean(NatsTemplate.class).publish("wire.unnamed", "{}")));
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
				.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace)
				.run((plainApp) -> plainApp.getBean(NatsTemplate.class).publish("wire.none", new byte[0]));
			Message on = wire.nextMessage(Duration.ofSeconds(5));
			assertThat(on.getSubject()).endsWith("wire.on");
			assertThat(on.getHeaders().getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
			Message off = wire.nextMessage(Duration.ofSeconds(5));
			assertThat(off.getSubject()).endsWith("wire.off");
			assertThat(NatsMessageHeaders.get(off, "traceparent")).isNull();
			Message unnamed = wire.nextMessage(Duration.ofSeconds(5));
			assertThat(unnamed.getSubject()).endsWith("wire.unnamed");
			assertThat(NatsMessageHeaders.get(unnamed, "traceparent")).isNull();
			Message none = wire.nextMessage(Duration.ofSeconds(5));
			assertThat(none.getSubject()).endsWith("wire.none");
			assertThat(none.hasHeaders()).isFalse();
		}
	}

	private MutableSpan withinSpan(ApplicationContext context, String name, Runnable work) {
		Observation.createNotStarted(name, context.getBean(ObservationRegistry.class)).observe(work);
		return this.spans.one(name);
	}

	static class Listeners {

		final Queue<String> traceIds = new ConcurrentLinkedQueue<>();

		final Queue<String> taskTraceIds = new ConcurrentLinkedQueue<>();

		private final AtomicInteger payments = new AtomicInteger();

		private final AtomicInteger mails = new AtomicInteger();

		@NatsListener(id = "orders", subject = "orders.>")
		void order(String payload) {
			this.traceIds.add(String.valueOf(MDC.get("traceId")));
		}

		@NatsListener(id = "quotes", subject = "quotes.*")
		String quote(String request) {
			return "quoted";
		}

		@NatsListener(id = "payments", subject = "payments.>", stream = "PAYMENTS", durable = "payments",
				backoff = "100ms")
		void pay(String payload) {
			if (this.payments.incrementAndGet() == 1) {
				throw new IllegalStateException("declined once");
			}
		}

		@TaskHandler("welcome-mail")
		String mail(String name) {
			this.taskTraceIds.add(String.valueOf(MDC.get("traceId")));
			if (this.mails.incrementAndGet() == 1) {
				throw new IllegalStateException("mail server busy");
			}
			return "sent to " + name;
		}

	}

}
