package io.natsboot.observation;

import io.micrometer.common.KeyValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template convention's names and keys, which it keeps for the kinds of messages it
 * saw: right for every message, past the number it keeps too, and for a JetStream publish
 * before and after its stream is known.
 */
class DefaultNatsTemplateObservationConventionTests {

	private final DefaultNatsTemplateObservationConvention convention = new DefaultNatsTemplateObservationConvention();

	@Test
	void namesEveryMessageRightlyPastTheKindsItKeeps() {
		for (int i = 0; i < ConventionCache.MAX_ENTRIES * 2; i++) {
			// letters only, so that no token is masked: each subject is a kind of its own
			String subject = "tenant-" + Integer.toString(i, 26).replaceAll("[0-9]", "z") + ".x" + i % 7;
			NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.PUBLISH, subject, null);
			assertThat(this.convention.getLowCardinalityKeyValues(context))
				.contains(KeyValue.of("messaging.destination.name", subject));
			assertThat(this.convention.getHighCardinalityKeyValues(context))
				.containsExactly(KeyValue.of("nats.subject", subject));
			assertThat(this.convention.getContextualName(context)).isEqualTo("publish " + subject);
		}
	}

	@Test
	void aJetStreamPublishNamesItsStreamOnceStored() {
		NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.JETSTREAM_PUBLISH, "orders.42",
				null);
		context.setMessageId("order-42");
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("nats.stream", "unknown"),
				KeyValue.of("messaging.destination.name", "orders.*"));
		context.stored("ORDERS", 7);
		assertThat(this.convention.getLowCardinalityKeyValues(context)).contains(KeyValue.of("nats.stream", "ORDERS"));
		assertThat(this.convention.getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("messaging.message.id", "order-42"), KeyValue.of("nats.stream.sequence", "7"));
	}

	@Test
	void aRequestIsNamedAsOne() {
		NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.REQUEST, "quotes.eur", null);
		assertThat(this.convention.getContextualName(context)).isEqualTo("request quotes.eur");
		assertThat(this.convention.getLowCardinalityKeyValues(context))
			.contains(KeyValue.of("messaging.operation", "request"));
		assertThat(context.getKind()).isEqualTo(io.micrometer.observation.transport.Kind.CLIENT);
	}

}
