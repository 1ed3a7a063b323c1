package io.natsboot.jetstream;

import java.util.LinkedHashMap;
import java.util.Map;

import io.nats.client.api.ConsumerInfo;

/**
 * The JSON descriptions of JetStream's objects that natsboot's endpoint and console show,
 * in one shape for both.
 */
public final class JetStreamDescriptions {

	private JetStreamDescriptions() {
	}

	/**
	 * A consumer: its name, filter subjects and figures.
	 * @param consumer the consumer
	 * @return {@code name}, {@code filterSubjects}, {@code pending} (its lag),
	 * {@code ackPending}, {@code redelivered} and {@code waiting}
	 */
	public static Map<String, Object> consumer(ConsumerInfo consumer) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("name", consumer.getName());
		description.put("filterSubjects", consumer.getConsumerConfiguration().getFilterSubjects());
		description.put("pending", consumer.getNumPending());
		description.put("ackPending", consumer.getNumAckPending());
		description.put("redelivered", consumer.getRedelivered());
		description.put("waiting", consumer.getNumWaiting());
		return description;
	}

}
