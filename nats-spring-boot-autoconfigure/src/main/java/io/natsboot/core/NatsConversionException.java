package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a payload cannot be converted to bytes, or bytes to the requested type. The
 * message names the subject and the type.
 */
public class NatsConversionException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the subject, the type and what went wrong
	 * @param cause the underlying failure
	 */
	public NatsConversionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
