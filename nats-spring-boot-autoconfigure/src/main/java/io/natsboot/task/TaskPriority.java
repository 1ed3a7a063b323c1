package io.natsboot.task;

import java.util.Locale;

/**
 * How urgent a task is. Workers take waiting tasks of a higher priority first; every
 * eighth pull starts from {@link #LOW}, so low-priority tasks are slowed, never starved.
 * The priority is a token of the task's subject ({@code high}, {@code normal},
 * {@code low}).
 */
public enum TaskPriority {

	/** Taken first. */
	HIGH,

	/** The default. */
	NORMAL,

	/** Taken when nothing more urgent waits (and on every eighth pull). */
	LOW;

	/**
	 * The subject token.
	 * @return {@code high}, {@code normal} or {@code low}
	 */
	public String token() {
		return name().toLowerCase(Locale.ROOT);
	}

}
