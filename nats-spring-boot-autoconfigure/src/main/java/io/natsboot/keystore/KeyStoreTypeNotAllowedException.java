package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyFormat#TYPED_JSON} value names a class outside
 * {@code nats.keystore.typed.allowed-packages}; it is refused on write and on read.
 */
public class KeyStoreTypeNotAllowedException extends KeyStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed, naming the key
	 */
	public KeyStoreTypeNotAllowedException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what failed, naming the key
	 * @param cause the underlying failure
	 */
	public KeyStoreTypeNotAllowedException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
