package io.natsboot.core;

import java.util.function.Supplier;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Checks a message against the server's {@code max_payload} before it is sent. The server
 * counts headers and data together, and answers a message over the limit by closing the
 * connection ({@code Maximum Payload Violation}); jnats' own check counts what it counts
 * and names nothing. So everything natsboot builds (key store values with their metadata
 * headers, tasks, publishes) is checked here first, and the exception names what was
 * being written, the size and the limit.
 */
public final class NatsPayloadLimit {

	/**
	 * Room kept for the headers jnats adds to a JetStream publish from its
	 * {@code PublishOptions} ({@code Nats-Msg-Id},
	 * {@code Nats-Expected-Last-Subject-Sequence}, {@code Nats-Expected-Stream},
	 * {@code Nats-TTL}), which the caller does not see.
	 */
	public static final int JETSTREAM_HEADERS = 128;

	private NatsPayloadLimit() {
	}

	/**
	 * The size the server counts for a message.
	 * @param headers the headers, or null
	 * @param data the payload, or null
	 * @return headers and payload in bytes
	 */
	public static long sizeOf(@Nullable Headers headers, byte @Nullable [] data) {
		long size = (data != null) ? data.length : 0;
		if (headers != null && !headers.isEmpty()) {
			size += headers.serializedLength();
		}
		return size;
	}

	/**
	 * Fails when a message would exceed the server's maximum payload; does nothing while
	 * the limit is unknown (not connected yet).
	 * @param connection the connection, which knows the server's limit
	 * @param what what is written (built only when the check fails), e.g.
	 * {@code key 'a' in bucket 'b'} or {@code subject 'orders'}
	 * @param headers the headers, or null
	 * @param data the payload, or null
	 * @throws NatsPayloadTooLargeException naming {@code what}, the size and the limit
	 */
	public static void check(Connection connection, Supplier<String> what, @Nullable Headers headers,
			byte @Nullable [] data) {
		check(connection, what, headers, data, 0);
	}

	/**
	 * As {@link #check(Connection, Supplier, Headers, byte[])}, for a JetStream publish:
	 * keeps {@link #JETSTREAM_HEADERS} bytes for the headers jnats adds.
	 * @param connection the connection, which knows the server's limit
	 * @param what what is written
	 * @param headers the headers, or null
	 * @param data the payload, or null
	 * @throws NatsPayloadTooLargeException naming {@code what}, the size and the limit
	 */
	public static void checkJetStream(Connection connection, Supplier<String> what, @Nullable Headers headers,
			byte @Nullable [] data) {
		check(connection, what, headers, data, JETSTREAM_HEADERS);
	}

	private static void check(Connection connection, Supplier<String> what, @Nullable Headers headers,
			byte @Nullable [] data, int reserved) {
		long max = maxPayload(connection);
		long size = sizeOf(headers, data) + reserved;
		if (max > 0 && size > max) {
			long headerBytes = size - ((data != null) ? data.length : 0);
			throw new NatsPayloadTooLargeException(
					"Cannot write " + what.get() + ": the message is " + size + " bytes ("
							+ ((data != null) ? data.length : 0) + " of data, " + headerBytes
							+ ((reserved > 0) ? " of headers, JetStream's included" : " of headers")
							+ "), over the server's max payload of " + max + " bytes (max_payload); nothing was sent",
					null);
		}
	}

	private static long maxPayload(Connection connection) {
		try {
			return connection.getMaxPayload();
		}
		catch (RuntimeException ex) {
			return 0; // not connected yet: the send itself reports that
		}
	}

}
