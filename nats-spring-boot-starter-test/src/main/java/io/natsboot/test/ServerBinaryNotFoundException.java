package io.natsboot.test;

/**
 * Thrown when a server binary needed by a test ({@code nats-server},
 * {@code redis-server}) is neither named by its environment variable nor found on the
 * {@code PATH}. The message says how to install it.
 */
public class ServerBinaryNotFoundException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what was looked for and how to install it
	 */
	public ServerBinaryNotFoundException(String message) {
		super(message);
	}

}
