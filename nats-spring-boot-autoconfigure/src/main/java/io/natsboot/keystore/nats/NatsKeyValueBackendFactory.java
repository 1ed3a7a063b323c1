package io.natsboot.keystore.nats;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsOperations;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsThreads;
import io.natsboot.jetstream.JetStreamErrors;
import io.natsboot.jetstream.ReplicaRefusal;
import io.natsboot.keystore.KeyStoreException;
import io.natsboot.keystore.KeyValueBackendFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Creates the NATS KV backends of the key store and keeps their buckets set up: each
 * bucket is created or updated (history, replicas, storage, max value size) on every
 * connect, and each backend's watch restarts after a reconnect. One thread sweeps expired
 * keys of all buckets.
 */
public class NatsKeyValueBackendFactory implements KeyValueBackendFactory, NatsConnectionReadyCallback, DisposableBean {

	private static final Log logger = LogFactory.getLog(NatsKeyValueBackendFactory.class);

	private final Connection connection;

	private final JetStreamOptions jetStreamOptions;

	private final NatsBucketSettings settings;

	private final List<NatsKeyValueBackend> backends = new CopyOnWriteArrayList<>();

	private final Map<String, BucketState> buckets = new ConcurrentHashMap<>();

	private final ScheduledExecutorService sweeper;

	private final NatsExceptionTranslator translator;

	/**
	 * Creates a factory.
	 * @param connection the connection
	 * @param jetStreamOptions the JetStream options (domain, prefix, timeout)
	 * @param settings how buckets are configured
	 */
	public NatsKeyValueBackendFactory(Connection connection, JetStreamOptions jetStreamOptions,
			NatsBucketSettings settings) {
		this(connection, jetStreamOptions, settings, new NatsExceptionTranslator());
	}

	/**
	 * Creates a factory whose backends explain calls the server's permissions kept from
	 * an answer.
	 * @param connection the connection
	 * @param jetStreamOptions the JetStream options (domain, prefix, timeout)
	 * @param settings how buckets are configured
	 * @param translator the translator the connection's error listener feeds
	 */
	public NatsKeyValueBackendFactory(Connection connection, JetStreamOptions jetStreamOptions,
			NatsBucketSettings settings, NatsExceptionTranslator translator) {
		this.translator = translator;
		this.connection = connection;
		this.jetStreamOptions = jetStreamOptions;
		this.settings = settings;
		this.sweeper = Executors.newSingleThreadScheduledExecutor(NatsThreads.daemon("natsboot-keystore-sweeper"));
		long millis = Math.max(10, settings.sweepInterval().toMillis());
		this.sweeper.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
		connection.addConnectionListener((conn, event) -> {
			if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.CLOSED) {
				this.buckets.clear();
				this.backends.forEach(NatsKeyValueBackend::connectionLost);
			}
		});
	}

	@Override
	public NatsKeyValueBackend create(String bucket, String namespace) {
		NatsKeyValueBackend backend = new NatsKeyValueBackend(this, this.connection, this.jetStreamOptions, bucket,
				namespace, this.settings, this.translator);
		this.backends.add(backend);
		return backend;
	}

	/**
	 * Sets up every bucket and restarts every watch after a connect.
	 */
	@Override
	public void onConnectionReady(NatsOperations nats, boolean reconnect) {
		this.buckets.clear();
		RuntimeException first = null;
		for (NatsKeyValueBackend backend : this.backends) {
			try {
				backend.connectionReady();
			}
			catch (RuntimeException ex) {
				// one bucket in an election or on a lost node must not keep the others
				// from their watch
				if (first == null) {
					first = ex;
				}
				else {
					first.addSuppressed(ex);
				}
			}
		}
		if (first != null) {
			throw first; // the connection's setup tries again
		}
	}

	/**
	 * Creates or updates a bucket once per connect.
	 * @param bucket the bucket
	 * @return what the backends need to know of it
	 */
	BucketState provision(String bucket) {
		return this.buckets.computeIfAbsent(bucket, this::createOrUpdate);
	}

	void removed(NatsKeyValueBackend backend) {
		this.backends.remove(backend);
	}

	private BucketState createOrUpdate(String bucket) {
		// per-message TTL removes only the newest value: with history above 1 an older
		// one would come back
		boolean messageTtl = this.connection.getServerInfo().isSameOrNewerThanVersion("2.11.0")
				&& this.settings.history() == 1;
		KeyValueConfiguration.Builder config = KeyValueConfiguration.builder()
			.name(bucket)
			.maxHistoryPerKey(this.settings.history())
			.replicas(this.settings.replicas())
			.storageType(this.settings.storage());
		if (this.settings.maxValueSize() > 0) {
			config.maximumValueSize(this.settings.maxValueSize());
		}
		if (messageTtl) {
			// per-message TTL (2.11+): the server removes expired keys itself and leaves
			// a marker
			config.limitMarker(this.settings.sweepInterval().compareTo(java.time.Duration.ofSeconds(1)) > 0
					? this.settings.sweepInterval() : java.time.Duration.ofSeconds(1));
		}
		long since = this.translator.mark();
		try {
			KeyValueManagement management = this.connection
				.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(this.jetStreamOptions).build());
			KeyValueStatus status = statusOrNull(management, bucket);
			if (status == null) {
				try {
					status = management.create(config.build());
					logger.info("Created key store bucket '" + bucket + "'");
				}
				catch (JetStreamApiException ex) {
					if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NAME_IN_USE) {
						NatsJetStreamException tooMany = ReplicaRefusal.explain(this.connection, "KV_" + bucket,
								this.settings.replicas(), "nats.keystore.replicas", ex);
						if (tooMany != null) {
							throw tooMany;
						}
						throw ex;
					}
					status = management.getStatus(bucket);
				}
			}
			else if (differs(status, messageTtl)) {
				try {
					status = management.update(config.build());
					logger.info("Updated key store bucket '" + bucket + "'");
				}
				catch (JetStreamApiException ex) {
					logger.warn("Key store bucket '" + bucket
							+ "' keeps its configuration: the server refused the update (" + ex.getMessage() + ")");
				}
			}
			StreamConfiguration stream = status.getBackingStreamInfo().getConfiguration();
			return new BucketState(stream.getAllowDirect(), messageTtl && stream.isAllowMessageTtl());
		}
		catch (IOException | JetStreamApiException ex) {
			if (NatsExceptionTranslator.isNoAnswer(ex)) {
				String stream = "KV_" + bucket;
				NatsPermissionException denied = this.translator.explainNoReply(this.connection,
						NatsPermissionException.Operation.KEY_STORE, "create or update bucket '" + bucket + "'", since,
						(subject) -> NatsExceptionTranslator.hasToken(subject, stream), ex);
				if (denied != null) {
					throw denied;
				}
			}
			throw new KeyStoreException("Cannot create or update key store bucket '" + bucket + "': " + ex.getMessage(),
					ex);
		}
	}

	private boolean differs(KeyValueStatus status, boolean messageTtl) {
		return status.getMaxHistoryPerKey() != this.settings.history()
				|| status.getReplicas() != this.settings.replicas()
				|| status.getStorageType() != this.settings.storage()
				|| (this.settings.maxValueSize() > 0 && status.getMaximumValueSize() != this.settings.maxValueSize())
				|| (messageTtl && status.getLimitMarkerTtl() == null);
	}

	private static KeyValueStatus statusOrNull(KeyValueManagement management, String bucket)
			throws IOException, JetStreamApiException {
		try {
			return management.getStatus(bucket);
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
				return null;
			}
			throw ex;
		}
	}

	private void sweep() {
		if (this.connection.getStatus() != Connection.Status.CONNECTED) {
			return;
		}
		for (NatsKeyValueBackend backend : this.backends) {
			try {
				backend.sweepExpired();
			}
			catch (RuntimeException ex) {
				logger.debug("Sweeping expired keys of bucket '" + backend.bucket() + "' failed", ex);
			}
		}
	}

	@Override
	public void destroy() {
		this.sweeper.shutdownNow();
		this.backends.forEach(NatsKeyValueBackend::close);
	}

	/**
	 * What the backends of a bucket need to know of it.
	 *
	 * @param allowDirect whether reads may use direct get
	 * @param messageTtl whether the server expires messages itself (2.11+)
	 */
	record BucketState(boolean allowDirect, boolean messageTtl) {

	}

}
