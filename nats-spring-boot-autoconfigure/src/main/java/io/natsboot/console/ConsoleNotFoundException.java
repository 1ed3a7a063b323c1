package io.natsboot.console;

/**
 * What a console request names does not exist (a listener, a task, a dead letter): the
 * API answers 404 with the message.
 */
public class ConsoleNotFoundException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what was not found, and what there is
	 */
	public ConsoleNotFoundException(String message) {
		super(message);
	}

}
