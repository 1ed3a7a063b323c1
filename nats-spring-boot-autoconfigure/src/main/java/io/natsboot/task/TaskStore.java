package io.natsboot.task;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsPayloadLimit;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamErrors;
import org.jspecify.annotations.Nullable;

/**
 * Task statuses and results in two key-value buckets, keyed by task id. Status changes
 * that must not be lost to a concurrent writer (attempts, cancel) go through
 * compare-and-set on the entry's revision. Every read and write is repeated through a
 * leader election of the buckets (within the fail-over timeout): a status write repeated
 * after its first try landed fails its revision check and is then recognised by its
 * bytes, so no change is applied twice.
 */
final class TaskStore {

	private static final int MAX_CAS_TRIES = 20;

	private final Connection connection;

	private final KeyValueOptions options;

	private final String statusBucket;

	private final String resultBucket;

	private final NatsMessageConverter converter;

	private final FailoverRetry retry;

	private volatile @Nullable KeyValue statuses;

	private volatile @Nullable JetStream jetStream;

	private volatile @Nullable KeyValue results;

	TaskStore(Connection connection, KeyValueOptions options, String statusBucket, String resultBucket,
			NatsMessageConverter converter, FailoverRetry retry) {
		this.connection = connection;
		this.retry = retry;
		this.options = options;
		this.statusBucket = statusBucket;
		this.resultBucket = resultBucket;
		this.converter = converter;
	}

	/**
	 * The subject a status is written to, as jnats' key-value client writes it:
	 * publishing there (with an expected last subject sequence of 0) creates the status
	 * without a round trip of its own.
	 * @param id the task id
	 * @return the subject
	 */
	String statusWriteSubject(String id) {
		return writeSubject(this.statusBucket, id);
	}

	private String writeSubject(String bucket, String id) {
		String prefix = this.options.getJetStreamOptions().isDefaultPrefix() ? ""
				: this.options.getJetStreamOptions().getPrefix();
		return prefix + "$KV." + bucket + "." + id;
	}

	/**
	 * Creates a status unless one is there, in one round trip.
	 * @param id the task id
	 * @param status the status
	 * @return its revision, or -1 when a status is there already
	 */
	long create(String id, TaskStatus status) {
		byte[] written = write(status);
		String action = "create the status of task '" + id + "'";
		return once(action, () -> writeExpecting(id, written, 0, action));
	}

	/**
	 * Writes a status without waiting: a create when {@code expectedRevision} is 0, a
	 * compare-and-set on that revision when it is more, a plain put when it is -1.
	 * @param id the task id
	 * @param status the status
	 * @param expectedRevision the revision the write expects
	 * @return the server's acknowledgement (its sequence is the new revision), failed
	 * with a {@link JetStreamApiException} of {@link JetStreamErrors#WRONG_LAST_SEQUENCE}
	 * when the status changed meanwhile
	 */
	CompletableFuture<PublishAck> writeAsync(String id, TaskStatus status, long expectedRevision) {
		try {
			PublishOptions publishOptions = (expectedRevision >= 0)
					? PublishOptions.builder().expectedLastSubjectSequence(expectedRevision).build() : null;
			return withinApiTimeout(
					jetStream().publishAsync(statusWriteSubject(id), null, write(status), publishOptions));
		}
		catch (IOException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Stores a result without waiting.
	 * @param id the task id
	 * @param result the result's bytes
	 * @return the server's acknowledgement
	 */
	CompletableFuture<PublishAck> putResultAsync(String id, byte[] result) {
		try {
			checkResultSize(id, result);
			return withinApiTimeout(jetStream().publishAsync(writeSubject(this.resultBucket, id), null, result, null));
		}
		catch (IOException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Gives up waiting for an answer after the API timeout, as a synchronous call does:
	 * jnats keeps a write that was in flight when the server went away unanswered for
	 * much longer, and the caller repeats it.
	 */
	private <T> CompletableFuture<T> withinApiTimeout(CompletableFuture<T> answer) {
		return answer.orTimeout(this.options.getJetStreamOptions().getRequestTimeout().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Removes a status if it is still at the given revision: what a failed enqueue
	 * created. Failures are left to the status TTL.
	 * @param id the task id
	 * @param revision the revision it must be at
	 * @return whether it was removed
	 */
	boolean deleteIfAt(String id, long revision) {
		try {
			statuses().delete(id, revision);
			return true;
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			return false;
		}
	}

	@Nullable TaskStatus get(String id) {
		Versioned versioned = getVersioned(id);
		return (versioned != null) ? versioned.status : null;
	}

	/**
	 * Changes a status with compare-and-set, retrying on a concurrent change.
	 * @param id the task id
	 * @param change the change; null leaves the status as it is
	 * @return the status as stored, or null when there is none
	 */
	@Nullable TaskStatus update(String id, UnaryOperator<@Nullable TaskStatus> change) {
		Versioned stored = change(id, null, change);
		return (stored != null) ? stored.status : null;
	}

	/**
	 * Changes a status with compare-and-set, first assuming it is still as last seen (no
	 * read), reading it again on a concurrent change.
	 * @param id the task id
	 * @param lastSeen the status as last read or written, {@link Versioned#ABSENT} to
	 * assume there is none, or null to read it first
	 * @param change the change; null leaves the status as it is
	 * @return the status as stored with its revision, or null when there is none
	 */
	@Nullable Versioned change(String id, @Nullable Versioned lastSeen, UnaryOperator<@Nullable TaskStatus> change) {
		String action = "update the status of task '" + id + "'";
		// only each single write is repeated through an election, never the change:
		// applied twice, a change such as "start an attempt" would count two
		return once(action, () -> {
			Versioned current = lastSeen;
			for (int attempt = 0; attempt < MAX_CAS_TRIES; attempt++) {
				if (current == null || attempt > 0) {
					current = getVersioned(id);
				}
				TaskStatus changed = change.apply((current != null) ? current.status : null);
				if (changed == null) {
					return (current != null && current.status != null) ? current : null;
				}
				byte[] written = write(changed);
				long revision = writeExpecting(id, written, (current != null) ? current.revision : 0, action);
				if (revision >= 0) {
					return new Versioned(changed, revision);
				}
				// another instance changed it meanwhile: read again
			}
			throw new NatsException("The status of task '" + id + "' kept changing under " + MAX_CAS_TRIES + " updates",
					null);
		});
	}

	/**
	 * Writes a status whatever is there: for tasks that record only their end.
	 * @param id the task id
	 * @param status the status
	 */
	void put(String id, TaskStatus status) {
		byte[] written = write(status);
		call("store the status of task '" + id + "'", () -> statuses().put(id, written));
	}

	/**
	 * Writes a status at an expected revision (0: none there), repeated through a leader
	 * election: a repeat whose first try landed (its acknowledgement lost in the
	 * election) finds its own bytes there, since a status carries its update time and no
	 * other write has them.
	 * @return the new revision, or -1 when the status changed meanwhile
	 */
	private long writeExpecting(String id, byte[] written, long expected, String action) throws Exception {
		boolean[] repeated = { false };
		int[] tries = { 0 };
		try {
			return this.retry.call(action, () -> {
				repeated[0] = tries[0]++ > 0;
				return (expected == 0) ? statuses().create(id, written) : statuses().update(id, written, expected);
			});
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() != JetStreamErrors.WRONG_LAST_SEQUENCE) {
				throw ex;
			}
			if (repeated[0]) {
				KeyValueEntry stored = this.retry.call(action, () -> statuses().get(id));
				if (stored != null && Arrays.equals(stored.getValue(), written)) {
					return stored.getRevision();
				}
			}
			return -1;
		}
	}

	void putResult(String id, byte[] result) {
		checkResultSize(id, result);
		call("store the result of task '" + id + "'", () -> results().put(id, result));
	}

	private void checkResultSize(String id, byte[] result) {
		NatsPayloadLimit.check(this.connection,
				() -> "the result of task '" + id + "' in bucket '" + this.resultBucket + "'", null, result);
	}

	byte @Nullable [] getResult(String id) {
		return call("read the result of task '" + id + "'", () -> {
			KeyValueEntry entry = results().get(id);
			return (entry != null && entry.getOperation() == KeyValueOperation.PUT) ? entry.getValue() : null;
		});
	}

	private @Nullable Versioned getVersioned(String id) {
		return call("read the status of task '" + id + "'", () -> {
			KeyValueEntry entry = statuses().get(id);
			if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
				return null;
			}
			TaskStatus status = (TaskStatus) this.converter.read(entry.getValue(), null, TaskStatus.class,
					this.statusBucket);
			return (status != null) ? new Versioned(status, entry.getRevision()) : null;
		});
	}

	/**
	 * Reads the latest status of every task, up to a limit, through a watch of the bucket
	 * (one ordered consumer, the server sends the statuses in a stream of messages rather
	 * than one request each).
	 * @param limit the most statuses read
	 * @param timeout how long the reading may take
	 * @param visitor told each status
	 * @return how many were read, and whether the limit cut the reading short
	 */
	Visited visitStatuses(int limit, Duration timeout, java.util.function.Consumer<TaskStatus> visitor) {
		return call("read the task statuses of bucket '" + this.statusBucket + "'", () -> {
			CountDownLatch done = new CountDownLatch(1);
			AtomicInteger read = new AtomicInteger();
			AtomicBoolean cut = new AtomicBoolean();
			KeyValueWatcher watcher = new KeyValueWatcher() {

				@Override
				public synchronized void watch(KeyValueEntry entry) {
					// after the reading ended nothing reaches the visitor, whose state
					// the
					// caller reads then (a status written meanwhile comes on another
					// thread)
					if (done.getCount() == 0 || entry.getOperation() != KeyValueOperation.PUT
							|| entry.getValue() == null) {
						return;
					}
					if (read.get() >= limit) {
						cut.set(true);
						done.countDown();
						return;
					}
					try {
						TaskStatus status = (TaskStatus) TaskStore.this.converter.read(entry.getValue(), null,
								TaskStatus.class, TaskStore.this.statusBucket);
						if (status != null) {
							read.incrementAndGet();
							visitor.accept(status);
						}
					}
					catch (RuntimeException ex) {
						// a status another client wrote: not counted
					}
				}

				@Override
				public synchronized void endOfData() {
					done.countDown();
				}

			};
			NatsKeyValueWatchSubscription watch = statuses().watchAll(watcher, KeyValueWatchOption.IGNORE_DELETE);
			try {
				boolean ended = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
				synchronized (watcher) {
					done.countDown(); // ends the reading for a watch call still on its
										// way
				}
				if (!ended) {
					throw new NatsException("The task statuses of bucket '" + this.statusBucket
							+ "' were not read within " + timeout.toMillis() + " ms (" + read.get() + " read)");
				}
			}
			finally {
				watch.unsubscribe();
			}
			return new Visited(read.get(), cut.get());
		});
	}

	private byte[] write(TaskStatus status) {
		return this.converter.write(status, this.statusBucket).data();
	}

	private JetStream jetStream() throws IOException {
		JetStream current = this.jetStream;
		if (current == null) {
			current = this.connection.jetStream(this.options.getJetStreamOptions());
			this.jetStream = current;
		}
		return current;
	}

	private KeyValue statuses() throws IOException {
		KeyValue current = this.statuses;
		if (current == null) {
			current = this.connection.keyValue(this.statusBucket, this.options);
			this.statuses = current;
		}
		return current;
	}

	private KeyValue results() throws IOException {
		KeyValue current = this.results;
		if (current == null) {
			current = this.connection.keyValue(this.resultBucket, this.options);
			this.results = current;
		}
		return current;
	}

	private <T> T call(String action, FailoverRetry.Call<T> call) {
		return once(action, () -> this.retry.call(action, call));
	}

	/**
	 * Runs a call once, turning its failure into a {@link NatsException} naming the
	 * action.
	 */
	private static <T> T once(String action, FailoverRetry.Call<T> call) {
		try {
			return call.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while trying to " + action, ex);
		}
		catch (NatsException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new NatsException("Cannot " + action + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * What a reading of the statuses saw.
	 *
	 * @param read the statuses read
	 * @param cut whether there were more than the limit
	 */
	record Visited(int read, boolean cut) {

	}

	/**
	 * A status with the revision it is stored at.
	 *
	 * @param status the status
	 * @param revision its revision in the bucket
	 */
	record Versioned(@Nullable TaskStatus status, long revision) {

		/** No status: a change assuming this creates one. */
		static final Versioned ABSENT = new Versioned(null, 0);

	}

}
