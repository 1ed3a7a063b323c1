package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request got no reply within its timeout. The message names the subject
 * and the timeout.
 */
public class NatsRequestTimeoutException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the subject
	 * @param cause the underlying failure, or null
	 */
	public NatsRequestTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
