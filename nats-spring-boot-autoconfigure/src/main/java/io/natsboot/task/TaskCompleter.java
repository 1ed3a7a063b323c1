package io.natsboot.task;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.jetstream.FailoverRetry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Stores what a successful run leaves, then acknowledges its message, without holding the
 * handler's thread: the result goes to the result bucket first and the final status only
 * once the result is stored, so a {@code SUCCEEDED} status is never visible without its
 * result; both are sent without waiting, and the acknowledgement follows the server's
 * answer. A write that fails (a concurrent change, a leader election, an outage) is
 * finished on the completion thread the durable way: repeated until it lands, the message
 * kept in hand meanwhile.
 */
final class TaskCompleter {

	private static final LogAccessor logger = new LogAccessor(TaskDispatcher.class);

	private final TaskStore store;

	private final NatsMessageConverter converter;

	private final Executor completions;

	TaskCompleter(TaskStore store, NatsMessageConverter converter, Executor completions) {
		this.store = store;
		this.converter = converter;
		this.completions = completions;
	}

	/**
	 * Completes a run whose attempt is counted in the status ({@link TaskTracking#FULL}):
	 * {@code SUCCEEDED} by compare-and-set on the revision the run started with.
	 * @param message the task's message
	 * @param started the status the run started with, and its revision
	 * @param result what the handler returned
	 * @return completed with true once the message is acknowledged, false when the worker
	 * stopped first (the message is then delivered again)
	 */
	CompletableFuture<Boolean> completeTracked(JetStreamMessage message, TaskStore.Versioned started,
			@Nullable Object result) {
		TaskStatus status = started.status();
		TaskStatus succeeded = status.with(TaskState.SUCCEEDED).progressed(100, status.progressNote());
		return storeResult(status, result)
			.thenCompose((ignored) -> this.store.writeAsync(status.id(), succeeded, started.revision()))
			.handleAsync((ack, failure) -> {
				if (failure == null) {
					message.ack();
					return true;
				}
				// read again and repeat: the handler changed the status (progress), it
				// was
				// cancelled, or a write did not land
				return finishDurably(message, status,
						() -> completeTrackedNow(started, status, (result != null) ? write(status, result) : null),
						(ex) -> endWithoutResult(started, status, ex));
			}, this.completions);
	}

	/**
	 * Completes a run of a task that records only its end ({@link TaskTracking#RESULTS}):
	 * the result, then {@code SUCCEEDED} as a plain write.
	 * @param message the task's message
	 * @param status the status of the run, not stored before
	 * @param result what the handler returned
	 * @return completed with true once the message is acknowledged, false when the worker
	 * stopped first
	 */
	CompletableFuture<Boolean> completeUntracked(JetStreamMessage message, TaskStatus status, @Nullable Object result) {
		TaskStatus succeeded = status.with(TaskState.SUCCEEDED).progressed(100, null);
		return storeResult(status, result).thenCompose((ignored) -> this.store.writeAsync(status.id(), succeeded, -1))
			.handleAsync((ack, failure) -> {
				if (failure == null) {
					message.ack();
					return true;
				}
				byte[] data = (result != null) ? write(status, result) : null;
				return finishDurably(message, status, () -> {
					if (data != null) {
						this.store.putResult(status.id(), data);
					}
					this.store.put(status.id(), succeeded);
				}, (ex) -> this.store.put(status.id(),
						succeeded.failed(TaskState.SUCCEEDED, resultLost(ex)).progressed(100, null)));
			}, this.completions);
	}

	private CompletableFuture<?> storeResult(TaskStatus status, @Nullable Object result) {
		if (result == null) {
			return CompletableFuture.completedFuture(null);
		}
		try {
			return this.store.putResultAsync(status.id(), write(status, result));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private byte[] write(TaskStatus status, Object result) {
		return this.converter.write(result, status.type()).data();
	}

	private void completeTrackedNow(TaskStore.Versioned started, TaskStatus status, byte @Nullable [] result) {
		if (result != null) {
			this.store.putResult(status.id(), result);
		}
		// unless the handler reported progress or it was cancelled, the status is as
		// the run wrote it
		this.store.change(status.id(), started, (current) -> TaskDispatcher.ours(current, status)
				? current.with(TaskState.SUCCEEDED).progressed(100, current.progressNote()) : null);
	}

	/**
	 * Repeats the writes until they land: each store call repeats itself through a leader
	 * election; an outage longer than that is waited out here (the message stays in hand,
	 * kept by heartbeats, and health shows the handler as hung past the max processing
	 * time), because an acknowledged task whose status never ends could only be waited
	 * for in vain.
	 * @return true once stored and acknowledged; false when the worker stops first (the
	 * message is left unacknowledged, so the task is delivered again)
	 */
	private boolean finishDurably(JetStreamMessage message, TaskStatus status, Runnable writes,
			Consumer<RuntimeException> refused) {
		long pause = 500;
		for (int attempt = 1;; attempt++) {
			try {
				writes.run();
				message.ack();
				return true;
			}
			catch (RuntimeException ex) {
				if (!FailoverRetry.isTransient(ex)) {
					// refused for good (a result over max_payload, a refused permission):
					// running it again would not help; the status must still end, or
					// waiters wait for ever
					logger.error(ex,
							() -> "Task '" + status.id() + "' finished, but its result or status could not be stored");
					try {
						refused.accept(ex);
					}
					catch (RuntimeException again) {
						logger.error(again,
								() -> "Task '" + status.id() + "' finished, but its status could not be stored either");
					}
					message.ack();
					return true;
				}
				int tries = attempt;
				logger.warn(() -> "Task '" + status.id() + "' finished, but its status could not be stored yet (try "
						+ tries + "): " + NatsFailures.rootMessage(ex) + "; trying again");
			}
			message.inProgress();
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				logger.warn(() -> "Task '" + status.id()
						+ "' finished, but the worker stopped before its status was stored; it will run again");
				return false;
			}
			pause = Math.min(5000, pause * 2);
		}
	}

	private void endWithoutResult(TaskStore.Versioned started, TaskStatus status, RuntimeException failure) {
		String error = resultLost(failure);
		this.store.change(status.id(), started, (current) -> TaskDispatcher.ours(current, status)
				? current.failed(TaskState.SUCCEEDED, error).progressed(100, current.progressNote()) : null);
	}

	private static String resultLost(RuntimeException failure) {
		return "its result could not be stored: " + failure.getClass().getName() + ": "
				+ NatsFailures.rootMessage(failure);
	}

}
