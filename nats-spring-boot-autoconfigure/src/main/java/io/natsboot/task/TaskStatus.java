package io.natsboot.task;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A task's status, kept in the {@code TASK_STATUS} key-value bucket (JSON) and shared by
 * all instances. Attempts are counted here, bumped by compare-and-set before each run,
 * never taken from the JetStream delivery count (delays and redeliveries raise that).
 *
 * @param id the task id
 * @param type the task type
 * @param queue the queue
 * @param priority the priority
 * @param state where the task is
 * @param attempts runs started so far
 * @param maxAttempts runs allowed, or 0 for the handler's setting
 * @param progress the latest progress in percent (0 to 100)
 * @param progressNote the note given with the latest progress, or null
 * @param lastError the latest failure ({@code Class: message}), or null
 * @param streamSequence the task's sequence in the task stream, 0 until a worker first
 * receives it (the enqueue writes the status before the task is stored)
 * @param enqueuedAt when it was enqueued
 * @param notBefore the earliest time it may run, or null
 * @param updatedAt when this status was written
 * @param requeues how often it was re-queued from dead letters
 */
public record TaskStatus(String id, String type, String queue, TaskPriority priority, TaskState state, int attempts,
		int maxAttempts, int progress, @Nullable String progressNote, @Nullable String lastError, long streamSequence,
		Instant enqueuedAt, @Nullable Instant notBefore, Instant updatedAt, int requeues) {

	TaskStatus with(TaskState newState) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, newState, this.attempts, this.maxAttempts,
				this.progress, this.progressNote, this.lastError, this.streamSequence, this.enqueuedAt, this.notBefore,
				Instant.now(), this.requeues);
	}

	TaskStatus started(int maxAllowed) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, TaskState.RUNNING, this.attempts + 1,
				maxAllowed, this.progress, this.progressNote, this.lastError, this.streamSequence, this.enqueuedAt,
				this.notBefore, Instant.now(), this.requeues);
	}

	TaskStatus runningAttempt(int attempt, int maxAllowed) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, TaskState.RUNNING, attempt, maxAllowed,
				this.progress, this.progressNote, this.lastError, this.streamSequence, this.enqueuedAt, this.notBefore,
				Instant.now(), this.requeues);
	}

	TaskStatus failed(TaskState newState, String error) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, newState, this.attempts, this.maxAttempts,
				this.progress, this.progressNote, error, this.streamSequence, this.enqueuedAt, this.notBefore,
				Instant.now(), this.requeues);
	}

	TaskStatus progressed(int percent, @Nullable String note) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, this.state, this.attempts,
				this.maxAttempts, percent, note, this.lastError, this.streamSequence, this.enqueuedAt, this.notBefore,
				Instant.now(), this.requeues);
	}

	TaskStatus atSequence(long sequence) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, this.state, this.attempts,
				this.maxAttempts, this.progress, this.progressNote, this.lastError, sequence, this.enqueuedAt,
				this.notBefore, Instant.now(), this.requeues);
	}

	TaskStatus releasedBy(int attempt) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, TaskState.PENDING, attempt - 1,
				this.maxAttempts, this.progress, this.progressNote, this.lastError, this.streamSequence,
				this.enqueuedAt, this.notBefore, Instant.now(), this.requeues);
	}

	TaskStatus requeued(long sequence) {
		return new TaskStatus(this.id, this.type, this.queue, this.priority, TaskState.PENDING, 0, this.maxAttempts, 0,
				null, this.lastError, sequence, this.enqueuedAt, null, Instant.now(), this.requeues + 1);
	}

}
