package io.natsboot.core;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedRuntimeException;

/**
 * Root of natsboot's runtime exceptions. Each message names the subject, key, bucket or
 * servers involved and the cause.
 */
public class NatsException extends NestedRuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed, naming the subject, key or servers
	 */
	public NatsException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what failed, naming the subject, key or servers
	 * @param cause the underlying failure
	 */
	public NatsException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
