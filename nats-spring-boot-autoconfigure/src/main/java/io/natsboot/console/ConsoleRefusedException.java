package io.natsboot.console;

/**
 * A console request that is not allowed: not signed in (401), without the console's
 * authority or with a missing CSRF token (403), an action while the console is read-only
 * (403). The API answers with the status and the message.
 */
public class ConsoleRefusedException extends RuntimeException {

	private final int status;

	/**
	 * Creates the exception.
	 * @param status the HTTP status
	 * @param message why
	 */
	public ConsoleRefusedException(int status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * The HTTP status to answer.
	 * @return 401 or 403
	 */
	public int getStatus() {
		return this.status;
	}

}
