package io.natsboot.core;

/**
 * Thrown when an operation needs a NATS connection that has not been established yet (the
 * application started while NATS was down, with {@code nats.startup=wait}) or that was
 * closed.
 */
public class NatsNotConnectedException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what could not be done, and the servers the connection waits for
	 */
	public NatsNotConnectedException(String message) {
		super(message);
	}

}
