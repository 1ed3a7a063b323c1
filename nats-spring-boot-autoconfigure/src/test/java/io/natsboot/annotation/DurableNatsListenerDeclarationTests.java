package io.natsboot.annotation;

import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.listener.JetStreamListenerContainer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durable listener declarations that cannot work fail start-up with a message naming the
 * bean, method and attribute. No server is needed: the declaration is checked before any
 * connect.
 */
class DurableNatsListenerDeclarationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=nats://127.0.0.1:1", "nats.startup=wait");

	@Test
	void aStreamWithoutADurableIsRefused() {
		assertRefused(StreamOnly.class, "needs both stream and durable, got stream 'ORDERS' and durable ''");
	}

	@Test
	void aQueueGroupOnADurableListenerIsRefused() {
		assertRefused(WithQueue.class, "queue does not apply to a durable listener");
	}

	@Test
	void anAcknowledgmentOnACoreListenerIsRefused() {
		assertRefused(AcknowledgmentWithoutStream.class,
				"takes an Acknowledgment or JetStreamMessage, which only durable listeners");
	}

	@Test
	void anUnknownDeliverPolicyIsRefusedListingTheAcceptedOnes() {
		assertRefused(BadDeliverPolicy.class,
				"deliverPolicy 'oldest' is not one of all, new, last, last-per-subject, by-start-sequence, by-start-time");
	}

	@Test
	void zeroMaxDeliverIsRefused() {
		assertRefused(ZeroMaxDeliver.class, "maxDeliver 0 must be at least 1, or -1 for unlimited");
	}

	@Test
	void anUnreadableBackoffIsRefused() {
		assertRefused(BadBackoff.class, "backoff 'soon' is not a duration such as 30s or 500ms");
	}

	@Test
	void anInvalidStreamNameIsRefused() {
		assertRefused(BadStreamName.class, "stream 'ORDERS.EU' is not a valid JetStream name");
	}

	@Test
	void aStartSequenceImpliesItsDeliverPolicy() {
		this.contextRunner.withUserConfiguration(FromSequence.class).run((context) -> {
			assertThat(context).hasNotFailed();
			JetStreamListenerContainer container = (JetStreamListenerContainer) context
				.getBean(NatsListenerEndpointRegistry.class)
				.getListenerContainer("from-sequence");
			assertThat(container.getWorker().getSettings().consumer().getDeliverPolicy())
				.isEqualTo(io.nats.client.api.DeliverPolicy.ByStartSequence);
			assertThat(container.getWorker().getSettings().consumer().getStartSequence()).isEqualTo(42);
			assertThat(container.getWorker().getSettings().ackWait()).hasSeconds(30);
			assertThat(container.getWorker().getSettings().maxDeliver()).isEqualTo(5);
		});
	}

	private void assertRefused(Class<?> configuration, String message) {
		this.contextRunner.withUserConfiguration(configuration).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("@NatsListener method 'handle' of bean")
				.hasMessageContaining(message);
		});
	}

	static class StreamOnly {

		@NatsListener(subject = "orders.>", stream = "ORDERS")
		void handle(String payload) {
		}

	}

	static class WithQueue {

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "billing", queue = "workers")
		void handle(String payload) {
		}

	}

	static class AcknowledgmentWithoutStream {

		@NatsListener(subject = "orders.>")
		void handle(String payload, Acknowledgment acknowledgment, JetStreamMessage metadata) {
		}

	}

	static class BadDeliverPolicy {

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "billing", deliverPolicy = "oldest")
		void handle(String payload) {
		}

	}

	static class ZeroMaxDeliver {

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "billing", maxDeliver = "0")
		void handle(String payload) {
		}

	}

	static class BadBackoff {

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "billing", backoff = "1s, soon")
		void handle(String payload) {
		}

	}

	static class BadStreamName {

		@NatsListener(subject = "orders.>", stream = "ORDERS.EU", durable = "billing")
		void handle(String payload) {
		}

	}

	static class FromSequence {

		@NatsListener(id = "from-sequence", subject = "orders.>", stream = "ORDERS", durable = "billing",
				startSequence = "42")
		void handle(String payload) {
		}

	}

}
