package io.natsboot.task;

import io.natsboot.core.NatsException;

/**
 * The task whose result was awaited ended without one: it is dead, or was cancelled.
 */
public class TaskFailedException extends NatsException {

	private static final long serialVersionUID = 1L;

	private final transient TaskStatus status;

	/**
	 * Creates the exception.
	 * @param status the task's final status
	 */
	public TaskFailedException(TaskStatus status) {
		super("Task '" + status.id() + "' (" + status.type() + ") ended " + status.state() + " after "
				+ status.attempts() + " attempt(s)" + ((status.lastError() != null) ? ": " + status.lastError() : ""),
				null);
		this.status = status;
	}

	/**
	 * The task's final status.
	 * @return the status
	 */
	public TaskStatus getStatus() {
		return this.status;
	}

}
