package io.natsboot.jetstream;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsJetStreamException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Sets up what a {@link JetStreamPullWorker} consumes through: checks its stream exists,
 * creates or updates its durable consumer(s) (never deletes them), binds a pull
 * subscription to each by name, and starts the max-deliveries advisories. The dead-letter
 * stream is created or given its replicas on a thread of its own, so consumption never
 * waits for it.
 */
final class PullConsumerProvisioner {

	// logs under the worker's name, which is what users configure
	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	private final PullWorkerSettings settings;

	private final Connection connection;

	private final JetStreamOptions options;

	private final @Nullable NatsConnectionReadiness readiness;

	private final MaxDeliveriesAdvisoryListener advisories;

	private final ConsumerStatusRefresher consumerStatus;

	/**
	 * Whether the dead-letter stream still has to be created or given its replicas (after
	 * a connect, or a failure).
	 */
	private volatile boolean deadLetterStreamNeeded = true;

	/**
	 * Whether setting up the dead-letter stream failed since it last succeeded (logged
	 * once).
	 */
	private volatile boolean deadLetterStreamFailing;

	/**
	 * Creates a provisioner.
	 * @param settings the worker's stream, consumers and dead-letter stream
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param readiness the connection's setup, whose failures explain a missing stream,
	 * or null
	 * @param advisories started once the consumers exist
	 * @param consumerStatus keeps the figures the consumers' creation returns
	 */
	PullConsumerProvisioner(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			@Nullable NatsConnectionReadiness readiness, MaxDeliveriesAdvisoryListener advisories,
			ConsumerStatusRefresher consumerStatus) {
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.readiness = readiness;
		this.advisories = advisories;
		this.consumerStatus = consumerStatus;
	}

	/**
	 * The connection is (again) ready: the dead-letter stream is set up again, in case
	 * the server lost it.
	 */
	void connectionReady() {
		this.deadLetterStreamNeeded = true;
	}

	/**
	 * Creates or updates the consumers and binds a subscription to each that has none.
	 * @param subscriptions one per consumer, filled in where missing or inactive
	 * @param setup the thread the dead-letter stream is set up on
	 * @param setupQueued whether a set-up of the dead-letter stream is queued there
	 * @throws NatsJetStreamException when the stream is missing or a consumer is refused
	 * @throws IOException when the server cannot be reached
	 * @throws JetStreamApiException when the server refuses another call
	 */
	void provision(@Nullable JetStreamSubscription[] subscriptions, ExecutorService setup, AtomicBoolean setupQueued)
			throws IOException, JetStreamApiException {
		String stream = this.settings.stream();
		JetStreamManagement management = this.connection.jetStreamManagement(this.options);
		StreamInfo info;
		try {
			info = management.getStreamInfo(stream);
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
				Map<String, String> setupFailures = (this.readiness != null) ? this.readiness.setupFailures()
						: Map.of();
				// a stream natsboot creates is missing because its setup failed: say why,
				// not what to declare
				String hint = setupFailures.isEmpty() ? "; create it, or declare a NatsStreamDefinition bean for it"
						: " (the connection's setup failed, and is retried: "
								+ String.join("; ", setupFailures.values()) + ")";
				throw new NatsJetStreamException(
						"Worker '" + this.settings.id() + "': stream '" + stream + "' does not exist" + hint,
						JetStreamErrors.STREAM_NOT_FOUND, ex);
			}
			throw ex;
		}
		setUpDeadLetterStreamLater(setup, setupQueued);
		List<ConsumerConfiguration> consumers = this.settings.consumers();
		for (int i = 0; i < consumers.size(); i++) {
			String name = consumers.get(i).getDurable();
			try {
				this.consumerStatus.record(i, management.addOrUpdateConsumer(stream, consumers.get(i)));
			}
			catch (JetStreamApiException ex) {
				throw new NatsJetStreamException(
						"Worker '" + this.settings.id() + "' cannot create or update consumer '" + name
								+ "' of stream '" + stream + "': " + ex.getErrorDescription() + " (code "
								+ ex.getApiErrorCode()
								+ "); a change the server refuses needs a new durable name or a deleted consumer",
						ex.getApiErrorCode(), ex);
			}
			JetStreamSubscription subscription = subscriptions[i];
			if (subscription == null || !subscription.isActive()) {
				// bound by name: it outlives reconnects and a consumer deleted and
				// created again
				subscriptions[i] = this.connection.jetStream(this.options)
					.subscribe(null, PullSubscribeOptions.fastBind(stream, name));
			}
		}
		this.advisories.listen(info.getConfiguration().getRetentionPolicy() == RetentionPolicy.WorkQueue);
	}

	/**
	 * Creates the dead-letter stream when missing, or gives it the configured replicas
	 * and subjects, on the run's set-up thread. Consumption never waits for it: a stream
	 * on a lost node or in an election (whose API calls time out) is tried again at the
	 * next status refresh, and a dead letter that cannot be stored meanwhile keeps its
	 * original.
	 * @param setup the thread to set it up on
	 * @param setupQueued whether a set-up is queued there already
	 */
	void setUpDeadLetterStreamLater(ExecutorService setup, AtomicBoolean setupQueued) {
		if (this.settings.deadLetterStream() == null || !this.deadLetterStreamNeeded
				|| !setupQueued.compareAndSet(false, true)) {
			return;
		}
		try {
			setup.execute(() -> {
				try {
					setUpDeadLetterStream();
				}
				finally {
					setupQueued.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			setupQueued.set(false); // stopping
		}
	}

	/**
	 * Gives an existing dead-letter stream more replicas and the subjects it lacks, and
	 * changes nothing else: an operator's larger setting (or another application's)
	 * stays, and so do subjects it stores already (an application not yet upgraded may
	 * still dead-letter to them).
	 */
	private void updateDeadLetterStream(JetStreamManagement management, StreamConfiguration existing,
			StreamConfiguration wanted) throws IOException, JetStreamApiException {
		List<String> missing = wanted.getSubjects()
			.stream()
			.filter((subject) -> !existing.getSubjects().contains(subject))
			.toList();
		boolean moreReplicas = existing.getReplicas() < wanted.getReplicas();
		if (!moreReplicas && missing.isEmpty()) {
			return;
		}
		StreamConfiguration.Builder updated = StreamConfiguration.builder(existing).addSubjects(missing);
		if (moreReplicas) {
			updated.replicas(wanted.getReplicas());
		}
		management.updateStream(updated.build());
	}

	private void setUpDeadLetterStream() {
		StreamConfiguration configuration = this.settings.deadLetterStream();
		if (configuration == null) {
			return;
		}
		try {
			JetStreamManagement management = this.connection.jetStreamManagement(this.options);
			StreamInfo existing;
			try {
				existing = management.getStreamInfo(configuration.getName());
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
					throw ex;
				}
				management.addStream(configuration);
				existing = null;
			}
			if (existing != null) {
				updateDeadLetterStream(management, existing.getConfiguration(), configuration);
			}
			this.deadLetterStreamNeeded = false;
			if (this.deadLetterStreamFailing) {
				this.deadLetterStreamFailing = false;
				logger.info(() -> "Worker '" + this.settings.id() + "': dead-letter stream '" + configuration.getName()
						+ "' is set up");
			}
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			String why = (ex instanceof JetStreamApiException api)
					? api.getErrorDescription() + " (code " + api.getApiErrorCode() + ")"
					: String.valueOf(ex.getMessage());
			if (this.deadLetterStreamFailing) {
				logger.debug(ex,
						() -> "Worker '" + this.settings.id() + "' still cannot set up its dead-letter stream");
				return;
			}
			// once per outage; tried again at every status refresh
			this.deadLetterStreamFailing = true;
			logger.warn(() -> "Worker '" + this.settings.id() + "' cannot set up dead-letter stream '"
					+ configuration.getName() + "' for " + configuration.getSubjects() + " (" + why + "); it consumes "
					+ "on and keeps messages that fail for good until dead letters can be stored");
		}
	}

}
