package io.natsboot.task;

/**
 * Thrown by a {@link io.natsboot.annotation.TaskHandler} for a failure that no retry can
 * mend (invalid input, a business rule): the task goes to dead letters at once.
 */
public class NonRetryableTaskException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message why the task cannot succeed
	 */
	public NonRetryableTaskException(String message) {
		super(message);
	}

	/**
	 * Creates the exception.
	 * @param message why the task cannot succeed
	 * @param cause the underlying failure
	 */
	public NonRetryableTaskException(String message, Throwable cause) {
		super(message, cause);
	}

}
