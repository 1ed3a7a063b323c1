package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a payload exceeds the server's maximum payload; nothing is sent. The
 * message names the subject, the size and the limit.
 */
public class NatsPayloadTooLargeException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the subject
	 * @param cause the underlying failure, or null
	 */
	public NatsPayloadTooLargeException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
