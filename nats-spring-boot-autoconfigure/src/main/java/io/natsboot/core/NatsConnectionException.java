package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when connecting to NATS fails, e.g. at start-up with {@code nats.startup=fail}.
 * The message names the servers tried (without credentials) and the cause.
 */
public class NatsConnectionException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the servers tried and what went wrong
	 * @param cause the underlying failure
	 */
	public NatsConnectionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
