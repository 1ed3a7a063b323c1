package io.natsboot.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Connection and JetStream figures, from {@link NatsOperations#statistics()}.
 *
 * @param inMessages messages received by this connection
 * @param outMessages messages sent by this connection
 * @param inBytes bytes received
 * @param outBytes bytes sent
 * @param reconnects how often the connection reconnected
 * @param droppedMessages messages dropped by slow consumers
 * @param rtt round-trip time to the server, null while disconnected
 * @param streams the application's streams, null when JetStream is not available
 * @param consumers consumers of those streams, null when JetStream is not available
 * @param streamMessages messages stored in those streams, null when JetStream is not
 * available
 */
public record NatsStatistics(long inMessages, long outMessages, long inBytes, long outBytes, long reconnects,
		long droppedMessages, @Nullable Duration rtt, @Nullable Integer streams, @Nullable Integer consumers,
		@Nullable Long streamMessages) {
}
