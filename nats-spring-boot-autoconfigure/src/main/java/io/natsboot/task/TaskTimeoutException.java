package io.natsboot.task;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A task's run took longer than its handler's {@code timeout}; the run counts as failed.
 */
public class TaskTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	TaskTimeoutException(String id, @Nullable Duration timeout) {
		super("Task '" + id + "' ran longer than its timeout of " + timeout);
	}

}
