package io.natsboot.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A Celery-like task queue on JetStream: enqueue tasks here, handle them in
 * {@link io.natsboot.annotation.TaskHandler} methods on any instance. Tasks are stored in
 * the {@code TASKS} work-queue stream, statuses and results in key-value buckets, dead
 * letters in {@code TASKS_DEAD}, each on its task's own subject (see
 * {@link TaskWireFormat}). Lookups by id ({@link #status}, {@link #result},
 * {@link #cancel}, {@link #deadLetter}, {@link #requeue}) read a few messages by key or
 * subject, however many tasks wait and however many are dead.
 */
public interface TaskQueue {

	/**
	 * Enqueues a task on the default queue with normal priority.
	 * @param type the task type (a {@link io.natsboot.annotation.TaskHandler} value)
	 * @param payload the payload, converted like any message payload (JSON for objects)
	 * @return the receipt, once the task is stored
	 */
	TaskReceipt enqueue(String type, Object payload);

	/**
	 * Enqueues a task.
	 * @param type the task type
	 * @param payload the payload
	 * @param options queue, priority, delay, max attempts, id, headers
	 * @return the receipt, once the task is stored
	 */
	TaskReceipt enqueue(String type, Object payload, TaskOptions options);

	/**
	 * Enqueues a task without waiting: many enqueues are pipelined to the server.
	 * @param type the task type
	 * @param payload the payload
	 * @param options queue, priority, delay, max attempts, id, headers
	 * @return a future completed with the receipt once the task and its status are
	 * stored, or with the failure
	 */
	CompletableFuture<TaskReceipt> enqueueAsync(String type, Object payload, TaskOptions options);

	/**
	 * Enqueues many tasks at once: every task (and its status) is sent without waiting
	 * for the one before, so a batch costs about one round trip, not one per task.
	 * @param tasks the tasks
	 * @return the receipts, in the order of the tasks, once all are stored
	 * @throws TaskBatchException when some could not be enqueued (the others are; the
	 * exception holds their receipts)
	 */
	List<TaskReceipt> enqueueAll(List<TaskRequest> tasks);

	/**
	 * A task's status.
	 * @param id the task id
	 * @return the status, or null when unknown (never enqueued, or expired)
	 */
	@Nullable TaskStatus status(String id);

	/**
	 * A task's result.
	 * @param <T> the result type
	 * @param id the task id
	 * @param type the result type
	 * @return the result, or null while there is none
	 */
	<T> @Nullable T result(String id, Class<T> type);

	/**
	 * Waits for a task's result.
	 * @param <T> the result type
	 * @param id the task id
	 * @param type the result type
	 * @param timeout how long to wait
	 * @return the result (null when the handler returned nothing)
	 * @throws TaskFailedException when the task ended dead or cancelled
	 * @throws io.natsboot.core.NatsRequestTimeoutException when it has not ended in time
	 */
	<T> @Nullable T awaitResult(String id, Class<T> type, Duration timeout);

	/**
	 * A task's result, when it comes.
	 * @param <T> the result type
	 * @param id the task id
	 * @param type the result type
	 * @param timeout how long to wait
	 * @return a future completed with the result, or with {@link TaskFailedException}
	 */
	<T> CompletableFuture<@Nullable T> resultAsync(String id, Class<T> type, Duration timeout);

	/**
	 * Cancels a task: a pending or delayed one is removed and never runs; a running one
	 * sees {@link TaskContext#isCancelled()}.
	 * @param id the task id
	 * @return true when the task was pending, delayed, retrying or running
	 */
	boolean cancel(String id);

	/**
	 * The dead letters of all queues, oldest first: read one by one, at most 10,000, for
	 * listings (look one up with {@link #deadLetter}).
	 * @return the dead tasks
	 */
	List<DeadTask> deadLetters();

	/**
	 * One dead letter, read from its task's own subject in the queue of the task's status
	 * (without a status, in the default queue and the queues with handlers here).
	 * @param id the task id
	 * @return the dead task (the latest when the id died more than once), or null
	 */
	@Nullable DeadTask deadLetter(String id);

	/**
	 * A page of dead letters, newest first, for consoles: read one by one backwards from
	 * {@code beforeSequence}, skipping those removed since, so a page costs about its
	 * size in reads (at most {@code 20 * limit + 100}).
	 * @param queue only this queue's dead letters, or null for all
	 * @param beforeSequence start below this sequence of the dead-letter stream, or 0 for
	 * the newest
	 * @param limit the most dead letters on the page (1 to 500)
	 * @return the page, with the sequence to pass for the next (older) one
	 */
	DeadTaskPage deadLetters(@Nullable String queue, long beforeSequence, int limit);

	/**
	 * Removes a task's dead letter without running it again; its status stays
	 * {@code DEAD}.
	 * @param id the task id
	 * @return true when there was a dead letter
	 */
	boolean deleteDeadLetter(String id);

	/**
	 * Counts tasks by queue, type and state from their statuses (so only tasks whose
	 * queue tracks them are counted: {@code full}, and {@code results} once finished),
	 * and lists the running ones with their progress. It reads the latest status of every
	 * task, up to {@code limit}: meant for consoles, not for hot paths.
	 * @param limit the most statuses read
	 * @return the counts
	 */
	TaskCensus census(int limit);

	/**
	 * Enqueues a dead task again with fresh attempts and removes its dead letter.
	 * @param id the task id
	 * @return the new receipt
	 * @throws IllegalArgumentException when there is no such dead letter
	 */
	TaskReceipt requeue(String id);

	/**
	 * Removes all dead letters.
	 * @return how many were removed
	 */
	long purgeDeadLetters();

	/**
	 * Removes the dead letters of one queue.
	 * @param queue the queue
	 * @return how many were removed
	 */
	long purgeDeadLetters(String queue);

	/**
	 * Runs one batch of waiting tasks through this instance's handlers, on the calling
	 * thread, highest priority first, queue by queue, and returns when they are done: for
	 * callers that drive workers themselves (the background workers keep running beside
	 * it).
	 * @param workerName who processes, for logs
	 * @param batchSize the most tasks to run
	 * @return how many tasks ran (successful or not)
	 */
	int process(String workerName, int batchSize);

	/**
	 * Figures per queue: the queues with handlers in this instance plus the default
	 * queue. They are the server's counts (of the queue's consumers, and of a consumer
	 * per queue on the dead-letter stream), never a reading of tasks or dead letters.
	 * @return the figures
	 */
	List<TaskQueueStats> stats();

}
