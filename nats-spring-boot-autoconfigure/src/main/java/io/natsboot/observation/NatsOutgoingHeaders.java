package io.natsboot.observation;

import io.micrometer.observation.transport.Propagator;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The headers of a message about to be sent, as the carrier a propagator writes the trace
 * context into ({@code traceparent}, {@code tracestate}, baggage). Headers are only made
 * when something is written, so a message sent with a no-op tracer stays without, and the
 * caller's own headers are copied before the first write, never changed.
 */
public final class NatsOutgoingHeaders {

	/** Writes one header; what a sender context is created with. */
	public static final Propagator.Setter<NatsOutgoingHeaders> SETTER = NatsOutgoingHeaders::put;

	private @Nullable Headers headers;

	private boolean owned;

	/**
	 * Creates the carrier of a message.
	 * @param headers the message's headers so far, or null for none
	 */
	public NatsOutgoingHeaders(@Nullable Headers headers) {
		this.headers = headers;
	}

	/**
	 * The carrier of headers the sender owns: the trace context is written into them.
	 * @param headers the headers
	 * @return the carrier
	 */
	public static NatsOutgoingHeaders into(Headers headers) {
		NatsOutgoingHeaders carrier = new NatsOutgoingHeaders(headers);
		carrier.owned = true;
		return carrier;
	}

	/**
	 * Sets a header, replacing any value it had.
	 * @param name the header's name
	 * @param value its value
	 */
	public void put(@Nullable String name, String value) {
		if (name == null) {
			return;
		}
		Headers current = this.headers;
		if (!this.owned) {
			current = (current != null) ? new Headers(current) : new Headers();
			this.headers = current;
			this.owned = true;
		}
		current.put(name, value);
	}

	/**
	 * The headers to send: the caller's when nothing was written, a copy with what was
	 * written otherwise.
	 * @return the headers, or null for none
	 */
	public @Nullable Headers headers() {
		return this.headers;
	}

}
