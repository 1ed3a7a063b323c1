package io.natsboot.core;

/**
 * Thrown when an operation needs a NATS connection that has not been established yet (the
 * application started while NATS was down, with {@code nats.startup=wait}) or that was
 * closed.
 */
public class NatsNotConnectedException extends NatsException {

	/**
	 * The ways to wait for the first connect, for messages of calls that need the server.
	 */
	public static final String HOW_TO_WAIT = "wait for it with NatsOperations.awaitConnected(timeout), "
			+ "or set nats.startup=fail to connect before the application starts";

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what could not be done, and the servers the connection waits for
	 */
	public NatsNotConnectedException(String message) {
		super(message);
	}

}
