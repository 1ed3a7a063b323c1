package io.natsboot.keystore;

import io.natsboot.core.NatsException;

import org.jspecify.annotations.Nullable;

/**
 * A key store operation failed; the message names the key or bucket.
 */
public class KeyStoreException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed, naming the key
	 */
	public KeyStoreException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what failed, naming the key
	 * @param cause the underlying failure
	 */
	public KeyStoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
