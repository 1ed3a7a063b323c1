package io.natsboot.observation;

import java.util.List;

import io.micrometer.observation.transport.Propagator;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Reads the trace context from a received message's headers, for receiver contexts. The
 * exact name is looked up first and then any case of it, so a stock client that wrote
 * {@code Traceparent} by hand continues its trace too.
 */
public final class NatsMessageHeaders {

	/** Reads one header of a message. */
	public static final Propagator.Getter<Message> GETTER = NatsMessageHeaders::get;

	private NatsMessageHeaders() {
	}

	/**
	 * The first value of a header.
	 * @param message the message
	 * @param name the header's name
	 * @return the value, or null when the message has no such header
	 */
	public static @Nullable String get(Message message, String name) {
		if (!message.hasHeaders()) {
			return null;
		}
		Headers headers = message.getHeaders();
		String value = headers.getFirst(name);
		if (value != null) {
			return value;
		}
		List<String> values = headers.getIgnoreCase(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

}
