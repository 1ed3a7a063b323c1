package io.natsboot.task;

/**
 * Where a task is in its life.
 */
public enum TaskState {

	/** Enqueued, waiting for a worker. */
	PENDING,

	/** Enqueued with a delay that has not passed. */
	SCHEDULED,

	/** A handler is running it. */
	RUNNING,

	/** An attempt failed; it runs again after its back-off. */
	RETRYING,

	/** Its handler returned. */
	SUCCEEDED,

	/** It failed for good and is kept as a dead letter. */
	DEAD,

	/** Cancelled before it finished. */
	CANCELLED;

	/**
	 * Whether the task has ended.
	 * @return true for succeeded, dead and cancelled
	 */
	public boolean isFinal() {
		return this == SUCCEEDED || this == DEAD || this == CANCELLED;
	}

}
