package io.natsboot.core;

/**
 * What the application does when NATS cannot be reached at start-up.
 */
public enum StartupMode {

	/**
	 * Start at once and connect in the background, retrying until NATS is up. Operations
	 * before the first connect throw {@link NatsNotConnectedException}.
	 */
	WAIT,

	/**
	 * Connect while the application starts, and fail start-up when no server can be
	 * reached.
	 */
	FAIL

}
