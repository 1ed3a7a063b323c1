package io.natsboot.task;

import java.util.Collections;
import java.util.List;

import io.natsboot.core.NatsException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskQueue#enqueueAll(List)} when some tasks could not be enqueued: the
 * others are, and their receipts are here. Enqueuing the failed ones again with the same
 * ids is safe within the duplicate window.
 */
public class TaskBatchException extends NatsException {

	private final List<@Nullable TaskReceipt> receipts;

	private final List<Failure> failures;

	/**
	 * Creates the exception.
	 * @param receipts the receipts in batch order, null where a task failed
	 * @param failures the tasks that failed, in batch order
	 */
	public TaskBatchException(List<@Nullable TaskReceipt> receipts, List<Failure> failures) {
		super(failures.size() + " of " + receipts.size() + " tasks could not be enqueued; the first (task "
				+ failures.get(0).index() + ", type '" + failures.get(0).type() + "'): "
				+ failures.get(0).exception().getMessage(), failures.get(0).exception());
		this.receipts = Collections.unmodifiableList(receipts);
		this.failures = List.copyOf(failures);
	}

	/**
	 * The receipts of the batch.
	 * @return in batch order, null where a task failed
	 */
	public List<@Nullable TaskReceipt> getReceipts() {
		return this.receipts;
	}

	/**
	 * The tasks that failed.
	 * @return in batch order
	 */
	public List<Failure> getFailures() {
		return this.failures;
	}

	/**
	 * A task of the batch that could not be enqueued.
	 *
	 * @param index its position in the batch
	 * @param type its type
	 * @param exception why it failed
	 */
	public record Failure(int index, String type, RuntimeException exception) {
	}

}
