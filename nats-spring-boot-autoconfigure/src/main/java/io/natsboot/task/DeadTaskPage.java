package io.natsboot.task;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of dead letters, newest first
 * ({@link TaskQueue#deadLetters(String, long, int)}).
 *
 * @param tasks the dead tasks on this page
 * @param next the sequence to pass as {@code beforeSequence} for the next (older) page,
 * or null when this page reached the oldest
 * @param total the dead letters kept (of the queue, when one was asked for)
 */
public record DeadTaskPage(List<DeadTask> tasks, @Nullable Long next, long total) {

	public DeadTaskPage {
		tasks = List.copyOf(tasks);
	}

}
