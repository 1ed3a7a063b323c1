package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a publish happens while disconnected and the reconnect buffer
 * ({@code nats.reconnect.buffer-size}) is full.
 */
public class NatsBufferFullException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the subject
	 * @param cause the underlying failure, or null
	 */
	public NatsBufferFullException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
