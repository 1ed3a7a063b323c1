package io.natsboot.instance;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsThreads;
import io.natsboot.jetstream.JetStreamErrors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Every running instance of the application, in a key-value bucket: each instance writes
 * its {@link InstanceInfo} under its id every heartbeat, and removes it when it stops. An
 * instance that stopped without removing it (killed, cut off from NATS) is listed as gone
 * once its last heartbeat is older than the timeout, and the bucket forgets it after its
 * max age ({@code forgetAfter}). So one instance's console shows the whole deployment.
 * Heartbeats carry the writer's clock: the hosts' clocks must agree within the timeout
 * less the heartbeat interval (20 s by default), as NTP keeps them.
 */
public class InstanceRegistry implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InstanceRegistry.class);

	private final Connection connection;

	private final KeyValueOptions options;

	private final String bucket;

	private final int replicas;

	private final Duration heartbeat;

	private final Duration timeout;

	private final Duration forgetAfter;

	private final NatsMessageConverter converter;

	private final Supplier<InstanceInfo> current;

	private volatile @Nullable ScheduledExecutorService beats;

	private volatile @Nullable KeyValue store;

	private volatile @Nullable String lastProblem;

	/**
	 * Creates the registry.
	 * @param connection the connection
	 * @param options the key-value options (JetStream prefix, domain, timeout)
	 * @param bucket the bucket's full name
	 * @param replicas the bucket's replicas when it is created
	 * @param heartbeat how often this instance writes its heartbeat
	 * @param timeout after how long without a heartbeat an instance is gone
	 * @param forgetAfter after how long without a heartbeat the bucket forgets an
	 * instance (its max age; set when the bucket is made)
	 * @param converter writes and reads the entries (JSON)
	 * @param current this instance's description, asked at every heartbeat
	 */
	public InstanceRegistry(Connection connection, KeyValueOptions options, String bucket, int replicas,
			Duration heartbeat, Duration timeout, Duration forgetAfter, NatsMessageConverter converter,
			Supplier<InstanceInfo> current) {
		if (timeout.compareTo(heartbeat) <= 0) {
			throw new IllegalArgumentException(
					"The timeout (" + timeout + ") must be longer than the heartbeat (" + heartbeat + ")");
		}
		if (forgetAfter.compareTo(timeout) <= 0) {
			throw new IllegalArgumentException("The time to forget an instance (" + forgetAfter
					+ ") must be longer than the timeout (" + timeout + ")");
		}
		this.forgetAfter = forgetAfter;
		this.connection = connection;
		this.options = options;
		this.bucket = bucket;
		this.replicas = replicas;
		this.heartbeat = heartbeat;
		this.timeout = timeout;
		this.converter = converter;
		this.current = current;
	}

	@Override
	public synchronized void start() {
		if (this.beats != null) {
			return;
		}
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(NatsThreads.daemon("natsboot-instance-heartbeat"));
		executor.scheduleWithFixedDelay(this::beat, 0, this.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
		this.beats = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.beats;
			this.beats = null;
		}
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			// a beat on its way would write the entry again after it is removed
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			// a graceful stop: not running any more, so not listed (not even as gone)
			if (this.connection.getStatus() == Connection.Status.CONNECTED) {
				store().delete(this.current.get().id());
			}
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			logger.debug("Could not remove this instance from the registry '" + this.bucket + "'", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.beats != null;
	}

	@Override
	public int getPhase() {
		// beats while the listeners and workers it names run; removed before the
		// connection closes
		return SmartLifecycle.DEFAULT_PHASE - 200;
	}

	/**
	 * The instances in the registry, this one first, then by application and start.
	 * @return the instances with their state
	 * @throws NatsException when the registry cannot be read
	 */
	public List<RegisteredInstance> instances() {
		String self = this.current.get().id();
		Instant now = Instant.now();
		List<RegisteredInstance> instances = new ArrayList<>();
		try {
			KeyValue kv = store();
			for (String key : kv.keys()) {
				KeyValueEntry entry = kv.get(key);
				if (entry == null || entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
					continue;
				}
				InstanceInfo info = read(entry);
				if (info != null) {
					boolean gone = info.heartbeatAt().plus(this.timeout).isBefore(now);
					instances.add(new RegisteredInstance(info,
							gone ? RegisteredInstance.State.GONE : RegisteredInstance.State.UP,
							info.id().equals(self)));
				}
			}
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException("Cannot read the instance registry '" + this.bucket + "': " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while reading the instance registry '" + this.bucket + "'", ex);
		}
		instances.sort(Comparator.comparing((RegisteredInstance instance) -> !instance.self())
			.thenComparing((instance) -> instance.info().application())
			.thenComparing((instance) -> instance.info().startedAt()));
		return instances;
	}

	/**
	 * How often instances write their heartbeat.
	 * @return the heartbeat interval
	 */
	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	/**
	 * After how long without a heartbeat an instance is gone.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Why the last heartbeat could not be written, or null when it was.
	 * @return the problem
	 */
	public @Nullable String getLastProblem() {
		return this.lastProblem;
	}

	private @Nullable InstanceInfo read(KeyValueEntry entry) {
		try {
			return (InstanceInfo) this.converter.read(entry.getValue(), null, InstanceInfo.class, this.bucket);
		}
		catch (RuntimeException ex) {
			return null; // written by another tool or version: not listed
		}
	}

	void beat() {
		if (this.connection.getStatus() != Connection.Status.CONNECTED) {
			return; // the next beat after the reconnect writes it
		}
		try {
			InstanceInfo info = this.current.get();
			store().put(info.id(), this.converter.write(info, this.bucket).data());
			if (this.lastProblem != null) {
				logger.info("This instance is in the registry '" + this.bucket + "' again");
			}
			this.lastProblem = null;
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			String problem = String.valueOf(ex.getMessage());
			if (!problem.equals(this.lastProblem)) {
				logger.warn("Cannot write this instance's heartbeat to the registry '" + this.bucket + "': " + problem
						+ " (other consoles will show it as gone)");
			}
			this.lastProblem = problem;
			// the bucket may be gone (a put then finds no responders): looked up, and
			// made
			// when missing, on the next beat
			this.store = null;
		}
	}

	private KeyValue store() throws IOException, JetStreamApiException {
		KeyValue kv = this.store;
		if (kv == null) {
			KeyValueManagement management = this.connection.keyValueManagement(this.options);
			try {
				management.getStatus(this.bucket);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
					throw ex;
				}
				createBucket(management);
			}
			kv = this.connection.keyValue(this.bucket, this.options);
			this.store = kv;
		}
		return kv;
	}

	private void createBucket(KeyValueManagement management) throws IOException, JetStreamApiException {
		try {
			management.create(KeyValueConfiguration.builder()
				.name(this.bucket)
				.description("natsboot: the running instances of the application, with their heartbeats")
				.maxHistoryPerKey(1)
				.ttl(this.forgetAfter)
				.storageType(StorageType.Memory)
				.replicas(this.replicas)
				.build());
		}
		catch (JetStreamApiException ex) {
			// another instance made it at the same moment
			if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NAME_IN_USE) {
				throw ex;
			}
		}
	}

}
