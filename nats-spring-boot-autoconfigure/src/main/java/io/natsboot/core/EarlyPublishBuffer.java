package io.natsboot.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Publishes made before the first connect, kept in order until they can be sent, and
 * bounded like jnats' own reconnect buffer ({@code nats.reconnect.buffer-size}): jnats
 * cannot take them itself, since before a server answered it knows neither whether
 * headers are allowed nor the maximum payload. Not thread-safe; its owner serializes
 * access.
 */
final class EarlyPublishBuffer {

	private static final LogAccessor logger = new LogAccessor(EarlyPublishBuffer.class);

	private final Queue<Publish> publishes = new ArrayDeque<>();

	private final long limit;

	private final List<String> servers;

	private long bytes;

	/**
	 * Creates a buffer.
	 * @param limit the most bytes it holds, negative for no limit (as jnats'
	 * {@code reconnectBufferSize})
	 * @param servers the servers connected to, for messages
	 */
	EarlyPublishBuffer(long limit, List<String> servers) {
		this.limit = limit;
		this.servers = servers;
	}

	/**
	 * Whether a method is one of the connection's publish methods.
	 * @param method a method of {@link Connection}
	 * @return true for {@code publish(...)}
	 */
	static boolean isPublish(Method method) {
		return method.getName().equals("publish") && method.getDeclaringClass() == Connection.class;
	}

	/**
	 * Keeps a publish for later.
	 * @param method the publish method called
	 * @param args its arguments
	 * @throws NatsBufferFullException when the publish does not fit
	 */
	void add(Method method, @Nullable Object[] args) {
		Publish publish = new Publish(method, args);
		long size = publish.size();
		if (this.limit >= 0 && this.bytes + size >= this.limit) {
			throw new NatsBufferFullException("Cannot publish to '" + publish.subject()
					+ "' before the first connect to NATS " + this.servers + ": the buffer of " + this.limit
					+ " bytes is full (nats.reconnect.buffer-size); wait with NatsOperations.awaitConnected(timeout)",
					null);
		}
		this.publishes.add(publish);
		this.bytes += size;
	}

	/**
	 * Sends the publishes kept, in the order they were made.
	 * @param connection the established connection
	 */
	void sendTo(Connection connection) {
		int count = this.publishes.size();
		int failed = 0;
		Publish publish;
		while ((publish = this.publishes.poll()) != null) {
			try {
				publish.method.invoke(connection, publish.args);
			}
			catch (IllegalAccessException | InvocationTargetException | RuntimeException ex) {
				failed++;
				Throwable cause = (ex instanceof InvocationTargetException target) ? target.getTargetException() : ex;
				String subject = publish.subject();
				logger.warn(cause, () -> "A publish to '" + subject + "' made before the first connect could not be "
						+ "sent: " + cause.getMessage());
			}
		}
		this.bytes = 0;
		if (count > 0) {
			int sent = count - failed;
			logger.info(() -> "Sent the " + sent + " messages published before the first connect to NATS");
		}
	}

	/**
	 * Drops the publishes kept, e.g. when the connection is closed before it connected.
	 */
	void discard() {
		int count = this.publishes.size();
		this.publishes.clear();
		this.bytes = 0;
		if (count > 0) {
			logger.warn(() -> "Dropped " + count + " messages published before the connection to NATS " + this.servers
					+ " was established: it was closed first");
		}
	}

	/**
	 * How many publishes are kept.
	 * @return the count
	 */
	int size() {
		return this.publishes.size();
	}

	private record Publish(Method method, @Nullable Object[] args) {

		// The server's count of a message is what jnats compares with the reconnect
		// buffer: subject, reply subject, headers and data.
		long size() {
			if (this.args.length == 1 && this.args[0] instanceof Message message) {
				return length(message.getSubject()) + length(message.getReplyTo())
						+ NatsPayloadLimit.sizeOf(message.getHeaders(), message.getData());
			}
			Headers headers = null;
			byte[] data = null;
			long size = 0;
			for (Object arg : this.args) {
				if (arg instanceof String text) {
					size += length(text);
				}
				else if (arg instanceof Headers given) {
					headers = given;
				}
				else if (arg instanceof byte[] bytes) {
					data = bytes;
				}
			}
			return size + NatsPayloadLimit.sizeOf(headers, data);
		}

		String subject() {
			Object first = this.args[0];
			return (first instanceof Message message) ? message.getSubject() : String.valueOf(first);
		}

		private static long length(@Nullable String text) {
			return (text != null) ? text.getBytes(StandardCharsets.UTF_8).length : 0;
		}

	}

}
