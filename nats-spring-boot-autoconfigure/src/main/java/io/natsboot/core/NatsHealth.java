package io.natsboot.core;

import java.time.Duration;

import io.nats.client.Connection;
import org.jspecify.annotations.Nullable;

/**
 * The state of the connection, from {@link NatsOperations#health(boolean)}.
 *
 * @param up whether the connection is usable (connected and, for a deep check, answering)
 * @param status the connection status
 * @param server the server connected to (credentials masked), null while disconnected
 * @param serverVersion the server's version, null while disconnected
 * @param jetStream whether the server offers JetStream
 * @param rtt the round-trip time of a ping, null for a shallow check or while
 * disconnected
 * @param error why the check failed, null when it did not
 */
public record NatsHealth(boolean up, Connection.Status status, @Nullable String server, @Nullable String serverVersion,
		boolean jetStream, @Nullable Duration rtt, @Nullable String error) {
}
