package io.natsboot.core;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A NATS message as natsboot hands it out and takes it in: subject (full and without the
 * namespace), payload, headers, reply subject, arrival time and subscription id. Not to
 * be confused with jnats' {@code io.nats.client.impl.NatsMessage}, the client's internal
 * implementation of {@link Message}; {@link #nativeMessage()} gives that one for received
 * messages.
 *
 * <pre class="code">
 * template.publish(NatsMessage.builder("orders.created").payload(json).header("priority", "high").build());
 * </pre>
 */
public final class NatsMessage {

	private static final byte[] EMPTY = new byte[0];

	private final String subject;

	private final String originalSubject;

	private final byte[] payload;

	private final @Nullable Headers headers;

	private final @Nullable String replyTo;

	private final Instant timestamp;

	private final @Nullable String subscriptionId;

	private final @Nullable Message nativeMessage;

	private final @Nullable NatsMessageConverter converter;

	private NatsMessage(String subject, String originalSubject, byte[] payload, @Nullable Headers headers,
			@Nullable String replyTo, Instant timestamp, @Nullable String subscriptionId,
			@Nullable Message nativeMessage, @Nullable NatsMessageConverter converter) {
		this.subject = subject;
		this.originalSubject = originalSubject;
		this.payload = payload;
		this.headers = headers;
		this.replyTo = replyTo;
		this.timestamp = timestamp;
		this.subscriptionId = subscriptionId;
		this.nativeMessage = nativeMessage;
		this.converter = converter;
	}

	/**
	 * Wraps a received jnats message.
	 * @param message the received message
	 * @param subjects resolves the namespace away for {@link #originalSubject()}
	 * @param converter converts the payload for {@link #payloadAs(Class)}
	 * @return the message
	 */
	public static NatsMessage received(Message message, NatsSubjectResolver subjects, NatsMessageConverter converter) {
		byte[] data = message.getData();
		return new NatsMessage(message.getSubject(), subjects.strip(message.getSubject()),
				(data != null) ? data : EMPTY, message.hasHeaders() ? message.getHeaders() : null, message.getReplyTo(),
				Instant.now(), message.getSID(), message, converter);
	}

	/**
	 * Makes text fit a header value: header values cannot hold line breaks (exception
	 * messages often do) and should stay short, so breaks and tabs become spaces and text
	 * past 512 characters is cut with "...".
	 * @param text the text
	 * @return one trimmed line of at most 512 characters (empty when the text was blank)
	 */
	public static String toHeaderValue(String text) {
		String oneLine = text.replaceAll("[\\r\\n\\t]+", " ").trim();
		return (oneLine.length() > 512) ? oneLine.substring(0, 509) + "..." : oneLine;
	}

	/**
	 * Starts building a message to publish.
	 * @param subject the application's subject (the namespace is added when publishing)
	 * @return a builder
	 */
	public static Builder builder(String subject) {
		return new Builder(subject);
	}

	/**
	 * The subject on the wire, with the namespace.
	 * @return the full subject
	 */
	public String subject() {
		return this.subject;
	}

	/**
	 * The subject without the namespace, as the application names it.
	 * @return the original subject
	 */
	public String originalSubject() {
		return this.originalSubject;
	}

	/**
	 * The payload bytes.
	 * @return the payload, empty when the message had none
	 */
	public byte[] payload() {
		return this.payload;
	}

	/**
	 * The payload as UTF-8 text.
	 * @return the text
	 */
	public String payloadAsString() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	/**
	 * The payload converted to a type (JSON for anything but {@code byte[]} and
	 * {@code String}).
	 * @param <T> the type
	 * @param type the type
	 * @return the converted payload, null for an empty payload
	 * @throws NatsConversionException when the payload does not fit the type
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T payloadAs(Class<T> type) {
		return (T) convert(type);
	}

	/**
	 * The payload converted to a generic type, e.g. {@code new
	 * ParameterizedTypeReference<List<Order>>() {}}.
	 * @param <T> the type
	 * @param type the type
	 * @return the converted payload, null for an empty payload
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T payloadAs(ParameterizedTypeReference<T> type) {
		return (T) convert(type.getType());
	}

	private @Nullable Object convert(Type type) {
		NatsMessageConverter messageConverter = (this.converter != null) ? this.converter
				: new DefaultNatsMessageConverter(null);
		return messageConverter.read(this.payload, header(NatsHeaders.CONTENT_TYPE), type, this.subject);
	}

	/**
	 * The headers.
	 * @return an unmodifiable map of header names to values, empty when there are none
	 */
	public Map<String, List<String>> headers() {
		if (this.headers == null || this.headers.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> map = new LinkedHashMap<>();
		this.headers.entrySet().forEach((entry) -> map.put(entry.getKey(), List.copyOf(entry.getValue())));
		return Collections.unmodifiableMap(map);
	}

	/**
	 * The first value of a header.
	 * @param name the header name
	 * @return the value, or null
	 */
	public @Nullable String header(String name) {
		return (this.headers != null) ? this.headers.getFirst(name) : null;
	}

	/**
	 * The subject a reply goes to.
	 * @return the reply subject, or null
	 */
	public @Nullable String replyTo() {
		return this.replyTo;
	}

	/**
	 * When the message was received (or built, for outgoing messages).
	 * @return the time
	 */
	public Instant timestamp() {
		return this.timestamp;
	}

	/**
	 * The id of the subscription that received the message.
	 * @return the id, or null for outgoing messages
	 */
	public @Nullable String subscriptionId() {
		return this.subscriptionId;
	}

	/**
	 * The jnats message this one wraps.
	 * @return the received message, or null for outgoing messages
	 */
	public @Nullable Message nativeMessage() {
		return this.nativeMessage;
	}

	/**
	 * The jnats headers, for sending.
	 * @return the headers, or null
	 */
	@Nullable Headers nativeHeaders() {
		return this.headers;
	}

	@Override
	public String toString() {
		return "NatsMessage{subject=" + this.subject + ", replyTo=" + this.replyTo + ", headers=" + headers()
				+ ", payload=" + this.payload.length + " bytes}";
	}

	/**
	 * Builds a {@link NatsMessage} to publish.
	 */
	public static final class Builder {

		private final String subject;

		private byte[] payload = EMPTY;

		private @Nullable Headers headers;

		private @Nullable String replyTo;

		private Builder(String subject) {
			this.subject = subject;
		}

		/**
		 * Sets the payload.
		 * @param payload the bytes
		 * @return this builder
		 */
		public Builder payload(byte[] payload) {
			this.payload = payload;
			return this;
		}

		/**
		 * Sets the payload as UTF-8 text.
		 * @param payload the text
		 * @return this builder
		 */
		public Builder payload(String payload) {
			this.payload = payload.getBytes(StandardCharsets.UTF_8);
			return this;
		}

		/**
		 * Adds a header value.
		 * @param name the header name
		 * @param values its values
		 * @return this builder
		 */
		public Builder header(String name, String... values) {
			if (this.headers == null) {
				this.headers = new Headers();
			}
			this.headers.add(name, values);
			return this;
		}

		/**
		 * Sets the subject replies go to.
		 * @param replyTo the reply subject (used as is, without namespace)
		 * @return this builder
		 */
		public Builder replyTo(String replyTo) {
			this.replyTo = replyTo;
			return this;
		}

		/**
		 * Builds the message.
		 * @return the message
		 */
		public NatsMessage build() {
			return new NatsMessage(this.subject, this.subject, this.payload, this.headers, this.replyTo, Instant.now(),
					null, null, null);
		}

	}

}
