package io.natsboot.jetstream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.JetStreamOperations;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Streams, consumers, publish with acknowledgement and pull, against a real JetStream
 * server.
 */
@WithNatsServer
class JetStreamTemplateTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void streamLifecycle() {
		withJetStream("shop", (js) -> {
			StreamInfo created = js
				.createOrUpdateStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
			assertThat(created.getConfiguration().getName()).isEqualTo("shop_ORDERS");
			assertThat(created.getConfiguration().getSubjects()).containsExactly("shop.orders.>");
			assertThat(
					js.createOrUpdateStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build())
						.getConfiguration()
						.getName())
				.isEqualTo("shop_ORDERS");

			js.publish("orders.created", "one");
			js.publish("orders.paid", "two");
			StreamInfo info = js.streamInfo("ORDERS");
			assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
			assertThat(js.streams()).singleElement().satisfies((stream) -> {
				assertThat(stream.getConfiguration().getName()).isEqualTo("shop_ORDERS");
				assertThat(stream.getStreamState().getByteCount()).isPositive();
			});

			StreamInfo updated = js.createOrUpdateStream(
					StreamConfiguration.builder().name("ORDERS").subjects("orders.>", "refunds.>").build());
			assertThat(updated.getConfiguration().getSubjects()).containsExactly("shop.orders.>", "shop.refunds.>");

			assertThat(js.purgeStream("ORDERS")).isEqualTo(2);
			assertThat(js.deleteStream("ORDERS")).isTrue();
			assertThatExceptionOfType(NatsJetStreamException.class).isThrownBy(() -> js.streamInfo("ORDERS"))
				.withMessageContaining("shop_ORDERS")
				.satisfies((ex) -> assertThat(ex.getApiErrorCode()).isEqualTo(10059));
		});
	}

	@Test
	void publishAcknowledgesWithStreamAndSequenceAndDeduplicatesByMessageId() throws Exception {
		withJetStream("", (js) -> {
			js.createOrUpdateStream(StreamConfiguration.builder().name("PAYMENTS").subjects("payments.>").build());
			PublishAck first = js.publish("payments.received", "p-1",
					PublishOptions.builder().messageId("payment-1").build());
			PublishAck repeated = js.publish("payments.received", "p-1",
					PublishOptions.builder().messageId("payment-1").build());
			assertThat(first.getStream()).isEqualTo("PAYMENTS");
			assertThat(first.getSeqno()).isEqualTo(1);
			assertThat(first.isDuplicate()).isFalse();
			assertThat(repeated.isDuplicate()).isTrue();
			assertThat(repeated.getSeqno()).isEqualTo(1);
			PublishAck async = join(js.publishAsync("payments.received", "p-2", null));
			assertThat(async.getSeqno()).isEqualTo(2);
			assertThat(js.streamInfo("PAYMENTS").getStreamState().getMsgCount()).isEqualTo(2);
			js.deleteStream("PAYMENTS");
		});
	}

	@Test
	void anUnackedMessageIsRedeliveredWithDeliveryCountTwo() {
		withJetStream("", (js) -> {
			js.createOrUpdateStream(StreamConfiguration.builder().name("JOBS").subjects("jobs.>").build());
			ConsumerInfo consumer = js.createOrUpdateConsumer("JOBS",
					ConsumerConfiguration.builder()
						.durable("workers")
						.filterSubject("jobs.>")
						.ackPolicy(AckPolicy.Explicit)
						.ackWait(Duration.ofSeconds(2))
						.maxDeliver(5)
						.build());
			assertThat(consumer.getName()).isEqualTo("workers");
			js.publish("jobs.resize", new Job("image-1"));
			js.publish("jobs.resize", new Job("image-2"));

			// the fetch ends when the batch is full or maxWait passed, before the ack
			// wait runs out
			List<JetStreamMessage> first = js.pull("JOBS", "workers", 10, Duration.ofSeconds(1));
			assertThat(first).hasSize(2);
			assertThat(first.get(0).deliveredCount()).isEqualTo(1);
			assertThat(first.get(0).streamSequence()).isEqualTo(1);
			assertThat(first.get(0).payloadAs(Job.class)).isEqualTo(new Job("image-1"));
			first.get(1).ack();
			// the first is left unacknowledged: after the 2 s ack wait it comes again

			List<JetStreamMessage> again = js.pull("JOBS", "workers", 1, Duration.ofSeconds(5));
			assertThat(again).singleElement().satisfies((message) -> {
				assertThat(message.streamSequence()).isEqualTo(1);
				assertThat(message.deliveredCount()).isEqualTo(2);
				message.ack();
			});
			assertThat(js.pull("JOBS", "workers", 10, Duration.ofSeconds(1))).isEmpty();
			assertThat(js.consumers("JOBS")).extracting(ConsumerInfo::getName).containsExactly("workers");
			assertThat(js.consumerInfo("JOBS", "workers").getNumAckPending()).isZero();
			js.deleteStream("JOBS");
		});
	}

	@Test
	void nakRedeliversAtOnceNakWithDelayLaterAndTermNever() {
		withJetStream("", (js) -> {
			js.createOrUpdateStream(StreamConfiguration.builder().name("RETRY").subjects("retry.>").build());
			js.createOrUpdateConsumer("RETRY",
					ConsumerConfiguration.builder().durable("retrier").ackWait(Duration.ofSeconds(30)).build());
			js.publish("retry.a", "nak-me");
			js.publish("retry.b", "delay-me");
			js.publish("retry.c", "term-me");
			List<JetStreamMessage> batch = js.pull("RETRY", "retrier", 3, Duration.ofSeconds(2));
			assertThat(batch).hasSize(3);
			batch.get(0).nak();
			batch.get(1).nakWithDelay(Duration.ofSeconds(2));
			batch.get(2).inProgress();
			batch.get(2).term();

			List<JetStreamMessage> soon = js.pull("RETRY", "retrier", 3, Duration.ofSeconds(1));
			assertThat(soon).extracting((message) -> message.message().payloadAsString()).containsExactly("nak-me");
			soon.get(0).ack();
			List<JetStreamMessage> later = js.pull("RETRY", "retrier", 3, Duration.ofSeconds(4));
			assertThat(later).extracting((message) -> message.message().payloadAsString()).containsExactly("delay-me");
			assertThat(later.get(0).deliveredCount()).isEqualTo(2);
			later.get(0).ack();
			assertThat(js.pull("RETRY", "retrier", 3, Duration.ofSeconds(1))).isEmpty();
			js.deleteStream("RETRY");
		});
	}

	@Test
	void consumerSettingsReachTheServer() {
		withJetStream("ns", (js) -> {
			js.createOrUpdateStream(StreamConfiguration.builder().name("AUDIT").subjects("audit.>").build());
			ConsumerInfo info = js.createOrUpdateConsumer("AUDIT",
					ConsumerConfiguration.builder()
						.durable("auditor")
						.filterSubject("audit.logins")
						.ackWait(Duration.ofSeconds(20))
						.maxDeliver(3)
						.backoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
						.build());
			assertThat(info.getName()).isEqualTo("ns_auditor");
			assertThat(info.getConsumerConfiguration().getFilterSubject()).isEqualTo("ns.audit.logins");
			assertThat(info.getConsumerConfiguration().getMaxDeliver()).isEqualTo(3);
			assertThat(info.getConsumerConfiguration().getBackoff()).containsExactly(Duration.ofSeconds(1),
					Duration.ofSeconds(5));
			assertThat(js.deleteConsumer("AUDIT", "auditor")).isTrue();
			js.deleteStream("AUDIT");
		});
	}

	@Test
	void aConsumerIsUpdatedInPlaceAndAStreamWithoutSubjectsTakesItsNameInTheNamespace() {
		withJetStream("ns2", (js) -> {
			StreamInfo stream = js.createOrUpdateStream(StreamConfiguration.builder().name("INBOX").build());
			assertThat(stream.getConfiguration().getSubjects()).containsExactly("ns2.INBOX");
			assertThat(js.publish("INBOX", "hello").getStream()).isEqualTo("ns2_INBOX");

			js.createOrUpdateConsumer("INBOX",
					ConsumerConfiguration.builder().durable("reader").ackWait(Duration.ofSeconds(10)).build());
			ConsumerInfo updated = js.createOrUpdateConsumer("INBOX",
					ConsumerConfiguration.builder().durable("reader").ackWait(Duration.ofSeconds(20)).build());
			assertThat(updated.getConsumerConfiguration().getAckWait()).isEqualTo(Duration.ofSeconds(20));
			js.deleteStream("INBOX");
		});
	}

	@Test
	void publishingToASubjectNoStreamCoversFailsNamingTheSubject() {
		withJetStream("",
				(js) -> assertThatExceptionOfType(NatsJetStreamException.class)
					.isThrownBy(() -> js.publish("nowhere.to.go", "lost"))
					.withMessageContaining("nowhere.to.go"));
	}

	@Test
	void apiCallsUseTheConfiguredPrefixAndTimeout() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.jetstream.prefix=$JS.ELSEWHERE.API",
					"nats.jetstream.api-timeout=500ms")
			.run((context) -> {
				JetStreamOperations js = context.getBean(NatsTemplate.class).jetStream();
				long start = System.nanoTime();
				assertThatExceptionOfType(NatsJetStreamException.class).isThrownBy(js::streams)
					.withMessageContaining("list streams");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			});
		withJetStream("", (js) -> assertThat(js.streams()).isNotNull());
	}

	private static void withJetStream(String namespace, Consumer<JetStreamOperations> scenario) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + namespace)
			.run((context) -> scenario.accept(context.getBean(NatsTemplate.class).jetStream()));
	}

	private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
		try {
			return future.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	record Job(String image) {
	}

}
