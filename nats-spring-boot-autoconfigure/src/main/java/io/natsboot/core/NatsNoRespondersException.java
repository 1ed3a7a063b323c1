package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request went to a subject nobody listens on (the server answered "no
 * responders"), as opposed to a responder that did not answer in time.
 */
public class NatsNoRespondersException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the subject
	 * @param cause the underlying failure, or null
	 */
	public NatsNoRespondersException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
