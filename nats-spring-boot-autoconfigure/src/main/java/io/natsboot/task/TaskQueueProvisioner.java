package io.natsboot.task;

import java.io.IOException;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsOperations;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamErrors;
import io.natsboot.jetstream.ReplicaRefusal;

import org.springframework.core.log.LogAccessor;

/**
 * Creates or updates what the task queue stores in: the {@code TASKS} work-queue stream
 * ({@code [ns.]natsboot.tasks.>}), the {@code TASKS_DEAD} dead-letter stream
 * ({@code [ns.]natsboot.tasks-dead.>}, limits retention) and the status and result
 * buckets. Runs on every connect when the application has task handlers, and at the first
 * use of the {@link TaskQueue} otherwise; safe to repeat.
 */
public class TaskQueueProvisioner implements NatsConnectionReadyCallback {

	private static final LogAccessor logger = new LogAccessor(TaskQueueProvisioner.class);

	private final Connection connection;

	private final JetStreamOptions options;

	private final NatsSubjectResolver subjects;

	private final TaskQueueSettings settings;

	private volatile boolean eager;

	private volatile boolean provisioned;

	/** Whether the streams and buckets were set up since start. */
	private volatile boolean everProvisioned;

	/**
	 * Creates the provisioner.
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param subjects the namespace
	 * @param settings the task queue's configuration
	 */
	public TaskQueueProvisioner(Connection connection, JetStreamOptions options, NatsSubjectResolver subjects,
			TaskQueueSettings settings) {
		this.connection = connection;
		this.options = options;
		this.subjects = subjects;
		this.settings = settings;
	}

	/**
	 * Provisions on every connect from now on (the application has task handlers).
	 */
	void provisionOnConnect() {
		this.eager = true;
	}

	@Override
	public void onConnectionReady(NatsOperations nats, boolean reconnect) {
		this.provisioned = false;
		if (this.eager) {
			provision();
		}
	}

	/**
	 * Provisions unless done since the latest connect.
	 */
	void ensureProvisioned() {
		if (!this.provisioned) {
			synchronized (this) {
				if (!this.provisioned) {
					try {
						provision();
					}
					catch (NatsException ex) {
						if (!this.everProvisioned || !FailoverRetry.isTransient(ex)) {
							throw ex;
						}
						// set up before this connect, and the cluster is electing a
						// leader: the streams and buckets are there; the call goes on
						// (and rides out the election itself), and the connection's setup
						// provisions again, not every caller one by one
						logger.debug(ex, "Task queue not provisioned again yet after a reconnect");
						this.provisioned = true;
					}
				}
			}
		}
	}

	/**
	 * Creates or updates the streams and buckets.
	 * @throws NatsException when the server refuses
	 */
	synchronized void provision() {
		try {
			JetStreamManagement management = this.connection.jetStreamManagement(this.options);
			createOrUpdate(management,
					StreamConfiguration.builder()
						.name(this.settings.stream())
						.subjects(this.subjects.forSubscribe(this.settings.wireFormat().streamSubjects()))
						.retentionPolicy(RetentionPolicy.WorkQueue)
						.storageType(StorageType.File)
						.maxMessages(this.settings.maxMessages())
						.maxBytes(this.settings.maxBytes())
						.replicas(this.settings.replicas())
						.duplicateWindow(this.settings.duplicateWindow())
						.build());
			createOrUpdate(management,
					StreamConfiguration.builder()
						.name(this.settings.deadLetterStream())
						.subjects(this.subjects.forSubscribe(this.settings.wireFormat().deadLetterStreamSubjects()))
						.retentionPolicy(RetentionPolicy.Limits)
						.storageType(StorageType.File)
						.replicas(this.settings.replicas())
						.build());
			KeyValueManagement buckets = this.connection
				.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(this.options).build());
			createOrUpdate(buckets, this.settings.statusBucket(), this.settings.statusTtl());
			createOrUpdate(buckets, this.settings.resultBucket(), this.settings.resultTtl());
			this.provisioned = true;
			this.everProvisioned = true;
			logger.debug(() -> "Task queue stream '" + this.settings.stream() + "' and its buckets are provisioned");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while provisioning the task queue", ex);
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException(
					"Cannot provision the task queue (stream '" + this.settings.stream() + "'): " + ex.getMessage(),
					ex);
		}
	}

	private void createOrUpdate(JetStreamManagement management, StreamConfiguration configuration)
			throws IOException, JetStreamApiException {
		try {
			try {
				management.getStreamInfo(configuration.getName());
				management.updateStream(configuration);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
					throw ex;
				}
				management.addStream(configuration);
			}
		}
		catch (JetStreamApiException ex) {
			throw refusal(configuration.getName(), ex);
		}
	}

	private JetStreamApiException refusal(String stream, JetStreamApiException ex) {
		NatsJetStreamException tooMany = ReplicaRefusal.explain(this.connection, stream, this.settings.replicas(),
				"nats.task-queue.replicas (or nats.jetstream.replicas)", ex);
		if (tooMany != null) {
			throw tooMany;
		}
		return ex;
	}

	private void createOrUpdate(KeyValueManagement buckets, String bucket, Duration ttl)
			throws IOException, JetStreamApiException, InterruptedException {
		KeyValueConfiguration configuration = KeyValueConfiguration.builder()
			.name(bucket)
			.maxHistoryPerKey(1)
			.ttl(ttl)
			.storageType(StorageType.File)
			.replicas(this.settings.replicas())
			.build();
		// asks for this bucket only: listing bucket names needs $JS.API.STREAM.NAMES,
		// which shows every tenant's
		try {
			try {
				buckets.getStatus(bucket);
				buckets.update(configuration);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
					throw ex;
				}
				buckets.create(configuration);
			}
		}
		catch (JetStreamApiException ex) {
			throw refusal("KV_" + bucket, ex);
		}
	}

}
