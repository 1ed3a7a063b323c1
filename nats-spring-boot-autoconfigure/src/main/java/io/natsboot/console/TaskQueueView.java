package io.natsboot.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.task.DeadTask;
import io.natsboot.task.DeadTaskPage;
import io.natsboot.task.TaskCensus;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskQueueStats;
import io.natsboot.task.TaskReceipt;
import io.natsboot.task.TaskStatus;
import io.natsboot.task.TaskWorkerRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The task queues: per queue the server's counts, per queue and type the tasks by state
 * (from their statuses), the running tasks with their progress, one task by id, the dead
 * letters page by page, and the actions on them.
 */
public class TaskQueueView {

	private final TaskQueue taskQueue;

	private final TaskWorkerRegistry workers;

	private final int censusLimit;

	/**
	 * Creates the view.
	 * @param taskQueue the task queue
	 * @param workers this instance's workers
	 * @param censusLimit the most statuses read to count tasks by type and state
	 */
	public TaskQueueView(TaskQueue taskQueue, TaskWorkerRegistry workers, int censusLimit) {
		this.taskQueue = taskQueue;
		this.workers = workers;
		this.censusLimit = censusLimit;
	}

	/**
	 * The queues, the counts by type and state, and the running tasks; each part that
	 * fails says why in its place.
	 * @return {@code queues}, {@code types}, {@code running} and {@code census}
	 */
	public Map<String, Object> describe() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("queues", ConsoleSections.section(this::queues));
		Object census = ConsoleSections.section(() -> this.taskQueue.census(this.censusLimit));
		if (census instanceof TaskCensus counted) {
			view.put("types", counted.types());
			view.put("running", counted.running().stream().map(TaskQueueView::running).toList());
			view.put("census",
					Map.of("read", counted.read(), "limit", counted.limit(), "truncated", counted.truncated()));
		}
		else {
			view.put("types", census);
			view.put("running", census);
			view.put("census", census);
		}
		return view;
	}

	private List<Map<String, Object>> queues() {
		List<Map<String, Object>> queues = new ArrayList<>();
		for (TaskQueueStats stats : this.taskQueue.stats()) {
			Map<String, Object> queue = stats.describe();
			PullWorkerStatus worker = this.workers.getWorkerStatus(stats.queue());
			if (worker != null) {
				queue.put("worker", Map.of("state", worker.state().name(), "healthy", worker.healthy(), "handled",
						worker.handled(), "failed", worker.failed()));
			}
			queues.add(queue);
		}
		return queues;
	}

	/**
	 * Only the queues the application has: counting a queue's dead letters makes a
	 * consumer for it, which no request names at will.
	 */
	private void checkKnown(@Nullable String queue) {
		if (queue == null) {
			return;
		}
		Set<String> known = new TreeSet<>(this.workers.getQueues());
		known.add(TaskOptions.DEFAULT_QUEUE);
		if (!known.contains(queue)) {
			throw new ConsoleNotFoundException("This application has no task queue '" + queue + "'; it has " + known);
		}
	}

	private static Map<String, Object> running(TaskStatus status) {
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("id", status.id());
		task.put("type", status.type());
		task.put("queue", status.queue());
		task.put("attempts", status.attempts());
		task.put("progress", status.progress());
		task.put("progressNote", status.progressNote());
		task.put("updatedAt", status.updatedAt());
		return task;
	}

	/**
	 * One task: its status, result and dead letter, whichever are known.
	 * @param id the task id
	 * @return the task, or null when nothing is known of it
	 */
	public @Nullable Map<String, Object> task(String id) {
		TaskStatus status = this.taskQueue.status(id);
		Object result;
		try {
			result = this.taskQueue.result(id, Object.class);
		}
		catch (RuntimeException ex) {
			result = Map.of("unreadable", String.valueOf(ex.getMessage()));
		}
		DeadTask dead = this.taskQueue.deadLetter(id);
		if (status == null && result == null && dead == null) {
			return null;
		}
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("id", id);
		task.put("status", status);
		task.put("result", result);
		task.put("deadLetter", (dead != null) ? letter(dead) : null);
		return task;
	}

	/**
	 * A page of dead letters, newest first.
	 * @param queue only this queue's, or null
	 * @param before start below this sequence, or 0 for the newest
	 * @param size the page size
	 * @return {@code letters}, {@code next} and {@code total}
	 */
	public Map<String, Object> deadLetters(@Nullable String queue, long before, int size) {
		checkKnown(queue);
		DeadTaskPage page = this.taskQueue.deadLetters(queue, before, size);
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("letters", page.tasks().stream().map(TaskQueueView::letter).toList());
		view.put("next", page.next());
		view.put("total", page.total());
		return view;
	}

	private static Map<String, Object> letter(DeadTask dead) {
		Map<String, Object> letter = new LinkedHashMap<>();
		letter.put("id", dead.id());
		letter.put("type", dead.type());
		letter.put("queue", dead.queue());
		letter.put("sequence", dead.sequence());
		letter.put("failedAt", dead.failedAt());
		letter.put("attempts", dead.attempts());
		letter.put("exceptionClass", dead.exceptionClass());
		letter.put("exceptionMessage", dead.exceptionMessage());
		letter.put("payloadPreview", Previews.of(dead.payload()));
		letter.put("payloadBytes", dead.payload().length);
		return letter;
	}

	/**
	 * Re-queues a dead task.
	 * @param id the task id
	 * @return {@code id}, {@code sequence} and {@code duplicate}
	 */
	public Map<String, Object> requeue(String id) {
		TaskReceipt receipt = this.taskQueue.requeue(id);
		return Map.of("id", receipt.id(), "sequence", receipt.streamSequence(), "duplicate", receipt.duplicate());
	}

	/**
	 * Deletes a dead letter.
	 * @param id the task id
	 * @return {@code deleted}
	 */
	public Map<String, Object> delete(String id) {
		return Map.of("id", id, "deleted", this.taskQueue.deleteDeadLetter(id));
	}

	/**
	 * Purges dead letters.
	 * @param queue only this queue's, or null for all
	 * @return {@code purged}
	 */
	public Map<String, Object> purge(@Nullable String queue) {
		checkKnown(queue);
		long purged = (queue != null) ? this.taskQueue.purgeDeadLetters(queue) : this.taskQueue.purgeDeadLetters();
		return Map.of("purged", purged);
	}

}
