package io.natsboot.core;

/**
 * What the application does when NATS cannot be reached at start-up.
 */
public enum StartupMode {

	/**
	 * Start at once and connect in the background, retrying until NATS is up. Before the
	 * first connect, publishes are buffered (up to {@code nats.reconnect.buffer-size})
	 * and operations that need an answer from the server throw
	 * {@link NatsNotConnectedException}.
	 */
	WAIT,

	/**
	 * Connect while the application starts, and fail start-up when no server can be
	 * reached.
	 */
	FAIL

}
