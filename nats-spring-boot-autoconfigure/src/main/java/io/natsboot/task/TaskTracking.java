package io.natsboot.task;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How much of a task's life a queue records in the status and result buckets
 * ({@code nats.task-queue.queues.<queue>.tracking}); the enqueue decides for each task
 * and tells its workers in the {@code Task-Tracking} header.
 */
public enum TaskTracking {

	/**
	 * Every state ({@code PENDING}, {@code RUNNING}, retries, progress, the end) and the
	 * result: attempts are counted in the status before each run, so crash loops end at
	 * the max attempts, and {@link TaskQueue#status}, {@link TaskQueue#cancel} and
	 * {@link TaskQueue#awaitResult} see everything.
	 */
	FULL,

	/**
	 * Only the end ({@code SUCCEEDED} with its result, or {@code DEAD}): the status is
	 * unknown (null) until then, a task cannot be cancelled, attempts are counted from
	 * deliveries.
	 */
	RESULTS,

	/**
	 * Nothing: fire-and-forget. Tasks are still retried and kept as dead letters,
	 * attempts are counted from deliveries, results are dropped; {@link TaskQueue#status}
	 * stays null and a task cannot be cancelled or awaited.
	 */
	NONE;

	/**
	 * The header value of this level.
	 * @return the level in lower case
	 */
	public String token() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The level a {@code Task-Tracking} header names.
	 * @param token the header value, or null
	 * @param fallback the level when the header is missing or unknown
	 * @return the level
	 */
	static TaskTracking of(@Nullable String token, TaskTracking fallback) {
		if (token != null) {
			for (TaskTracking tracking : values()) {
				if (tracking.token().equalsIgnoreCase(token.trim())) {
					return tracking;
				}
			}
		}
		return fallback;
	}

}
