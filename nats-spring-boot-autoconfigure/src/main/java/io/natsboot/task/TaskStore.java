package io.natsboot.task;

import java.io.IOException;
import java.util.function.UnaryOperator;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.core.NatsPayloadLimit;
import org.jspecify.annotations.Nullable;

/**
 * Task statuses and results in two key-value buckets, keyed by task id. Status changes that
 * must not be lost to a concurrent writer (attempts, cancel) go through compare-and-set on the
 * entry's revision. Every call is repeated through a leader election of the buckets (within the
 * fail-over timeout): a write repeated after it did land fails its revision check and is read
 * again, so none is applied twice.
 */
final class TaskStore {

	private static final int WRONG_LAST_SEQUENCE = 10071;

	private static final int MAX_CAS_TRIES = 20;

	private final Connection connection;

	private final KeyValueOptions options;

	private final String statusBucket;

	private final String resultBucket;

	private final NatsMessageConverter converter;

	private final FailoverRetry retry;

	private volatile @Nullable KeyValue statuses;

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
	 * The subject a status is written to, as jnats' key-value client writes it: publishing there
	 * (with an expected last subject sequence of 0) creates the status without a round trip of its own.
	 * @param id the task id
	 * @return the subject
	 */
	String statusWriteSubject(String id) {
		String prefix = this.options.getJetStreamOptions().isDefaultPrefix() ? ""
				: this.options.getJetStreamOptions().getPrefix();
		return prefix + "$KV." + this.statusBucket + "." + id;
	}

	void put(TaskStatus status) {
		call("store the status of task '" + status.id() + "'", () -> statuses().put(status.id(), write(status)));
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
	 * Changes a status with compare-and-set, first assuming it is still as last seen (no read),
	 * reading it again on a concurrent change.
	 * @param id the task id
	 * @param lastSeen the status as last read or written, or null to read it first
	 * @param change the change; null leaves the status as it is
	 * @return the status as stored with its revision, or null when there is none
	 */
	@Nullable Versioned change(String id, @Nullable Versioned lastSeen, UnaryOperator<@Nullable TaskStatus> change) {
		return call("update the status of task '" + id + "'", () -> {
			Versioned current = lastSeen;
			for (int attempt = 0; attempt < MAX_CAS_TRIES; attempt++) {
				if (current == null || attempt > 0) {
					current = getVersioned(id);
				}
				TaskStatus changed = change.apply((current != null) ? current.status : null);
				if (changed == null) {
					return current;
				}
				try {
					long revision = (current == null) ? statuses().create(id, write(changed))
							: statuses().update(id, write(changed), current.revision);
					return new Versioned(changed, revision);
				}
				catch (JetStreamApiException ex) {
					if (ex.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
						throw ex;
					}
					// another instance changed it meanwhile: read again
				}
			}
			throw new NatsException("The status of task '" + id + "' kept changing under " + MAX_CAS_TRIES + " updates",
					null);
		});
	}

	void putResult(String id, byte[] result) {
		NatsPayloadLimit.check(this.connection, "the result of task '" + id + "' in bucket '" + this.resultBucket + "'",
				null, result);
		call("store the result of task '" + id + "'", () -> results().put(id, result));
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

	private byte[] write(TaskStatus status) {
		return this.converter.write(status, this.statusBucket).data();
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
		try {
			return this.retry.call(action, call);
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
	 * A status with the revision it is stored at.
	 *
	 * @param status the status
	 * @param revision its revision in the bucket
	 */
	record Versioned(TaskStatus status, long revision) {
	}

}
