package io.natsboot.core;

/**
 * Thrown when a subject (or namespace) is not valid for the operation: empty, containing
 * white space or empty tokens, or a wildcard where a concrete subject is needed.
 */
public class NatsInvalidSubjectException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message the subject and what is wrong with it
	 */
	public NatsInvalidSubjectException(String message) {
		super(message);
	}

}
