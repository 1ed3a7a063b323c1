package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedRuntimeException;

/**
 * A key store operation failed; the message names the key or bucket. It is no
 * {@link io.natsboot.core.NatsException}: it is thrown by every backend, Redis and memory
 * too.
 * <p>
 * A call of {@link KeyStoreOperations} throws:
 * <ul>
 * <li>{@link IllegalArgumentException} for bad input (empty, too long or
 * control-character keys, {@code null} values, a {@code BINARY} value that is no
 * {@code byte[]}), before anything is written;</li>
 * <li>{@link KeyStoreIntegrityException} when a stored value does not match its
 * checksum;</li>
 * <li>{@link KeyStoreTypeNotAllowedException} when a {@code TYPED_JSON} value names a
 * class outside {@code nats.keystore.typed.allowed-packages};</li>
 * <li>on the NATS backend, the {@link io.natsboot.core.NatsException} that names the
 * cause when natsboot knows it: {@code NatsPayloadTooLargeException} (a value over the
 * server's {@code max_payload}, nothing sent), {@code NatsNotConnectedException},
 * {@code NatsPermissionException} (the server refused a permission on the bucket);</li>
 * <li>{@code KeyStoreException} for every other failure of the backend (Redis unreachable
 * or refusing, a JetStream error, a key that kept changing under a compare-and-set) or of
 * the value's conversion, with the backend's exception, if any, as its cause.</li>
 * </ul>
 */
public class KeyStoreException extends NestedRuntimeException {

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
