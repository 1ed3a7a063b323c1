package io.natsboot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key values of the hot paths' contexts behave as Micrometer's own do: a later value
 * of a key replaces the earlier one, keys can be removed, and low and high cardinality
 * together are all of them.
 */
class KeyValueStoreTests {

	@Test
	void aLaterValueOfAKeyWinsAndOthersStay() {
		NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.PUBLISH, "a.b", null);
		KeyValues first = KeyValues.of("messaging.system", "nats", "messaging.destination.name", "a.b");
		context.addLowCardinalityKeyValues(first);
		context.addLowCardinalityKeyValues(first);
		context.addLowCardinalityKeyValue(KeyValue.of("messaging.destination.name", "a.*"));
		context.addLowCardinalityKeyValues(KeyValues.of("region", "eu"));
		assertThat(context.getLowCardinalityKeyValues()).containsExactly(
				KeyValue.of("messaging.destination.name", "a.*"), KeyValue.of("messaging.system", "nats"),
				KeyValue.of("region", "eu"));
		assertThat(context.getLowCardinalityKeyValue("region")).isEqualTo(KeyValue.of("region", "eu"));
		assertThat(context.getLowCardinalityKeyValue("missing")).isNull();
	}

	@Test
	void keysAreRemovedAndAllKeyValuesJoinBothCardinalities() {
		NatsProcessContext context = NatsProcessContext.core("orders", "orders.>", null,
				new io.nats.client.impl.NatsMessage("orders.1", null, new byte[0]));
		context.addLowCardinalityKeyValues(KeyValues.of("a", "1", "b", "2", "c", "3"));
		context.addHighCardinalityKeyValue(KeyValue.of("nats.subject", "orders.1"));
		context.removeLowCardinalityKeyValues("a", "c");
		assertThat(context.getLowCardinalityKeyValues()).containsExactly(KeyValue.of("b", "2"));
		assertThat(context.getAllKeyValues()).containsExactly(KeyValue.of("b", "2"),
				KeyValue.of("nats.subject", "orders.1"));
		context.removeHighCardinalityKeyValue("nats.subject");
		assertThat(context.getHighCardinalityKeyValues()).isEmpty();
		assertThat(context.getAllKeyValues()).containsExactly(KeyValue.of("b", "2"));
	}

}
