package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

/**
 * A stored value does not match its checksum: it was changed behind the key store. The
 * value is never returned.
 */
public class KeyStoreIntegrityException extends KeyStoreException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed, naming the key
	 */
	public KeyStoreIntegrityException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what failed, naming the key
	 * @param cause the underlying failure
	 */
	public KeyStoreIntegrityException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
