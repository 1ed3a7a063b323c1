package io.natsboot.task;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a running {@link io.natsboot.annotation.TaskHandler} may know and tell about its
 * task. Declare a parameter of this type to get it.
 */
public interface TaskContext {

	/**
	 * @return the task id
	 */
	String id();

	/**
	 * @return the task type
	 */
	String type();

	/**
	 * @return the queue
	 */
	String queue();

	/**
	 * @return this run's attempt, 1 for the first
	 */
	int attempt();

	/**
	 * @return runs allowed in all
	 */
	int maxAttempts();

	/**
	 * @return when the task was enqueued
	 */
	Instant enqueuedAt();

	/**
	 * @return the task message's headers
	 */
	Map<String, List<String>> headers();

	/**
	 * Reports progress, visible in {@link TaskQueue#status(String)}; also a heartbeat.
	 * @param percent 0 to 100
	 */
	default void progress(int percent) {
		progress(percent, null);
	}

	/**
	 * Reports progress with a note, visible in {@link TaskQueue#status(String)}; also a
	 * heartbeat.
	 * @param percent 0 to 100
	 * @param note what is happening, or null
	 */
	void progress(int percent, @Nullable String note);

	/**
	 * Tells the server the task is still being worked on, restarting its ack wait. The
	 * worker sends these on its own for tasks running longer than half the ack wait.
	 */
	void heartbeat();

	/**
	 * Whether {@link TaskQueue#cancel(String)} was called for this task; a handler that
	 * checks it may stop early (its return value is then ignored).
	 * @return true once cancelled
	 */
	boolean isCancelled();

}
