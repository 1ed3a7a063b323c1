package io.natsboot.jetstream;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Consumes a JetStream stream through a durable pull consumer, at least once: the pull-worker
 * machinery shared by durable {@code @NatsListener}s and the task queue.
 * <ul>
 * <li>The consumer is created or updated when the connection is ready, and again after every
 * reconnect and whenever it is found missing (deleted by an operator, server restarted without
 * its state); it is never deleted.</li>
 * <li>One thread pulls; a pull never asks for more messages than there are free handler slots,
 * because the ack wait starts at delivery. With concurrency 1 the handler runs on that thread, so
 * messages are handled in stream order; with more, on a pool.</li>
 * <li>A message is acknowledged after its handler returned. Messages whose handler runs longer
 * than half the ack wait get {@code inProgress} heartbeats, up to the max processing time.</li>
 * <li>Failures go to a {@link DeliveryFailureHandler}: redelivery after the retry back-off, then
 * the {@link DeadLetterPublishingRecoverer}. A message whose handler never returns (it killed its
 * worker each time) is dead-lettered from the server's {@code MAX_DELIVERIES} advisory.</li>
 * <li>Stopping stops pulling, lets running handlers finish within the drain timeout and naks what
 * is still running then, so other workers get it at once.</li>
 * </ul>
 * Pulls go through one long-lived pull subscription rather than jnats' per-fetch
 * {@code FetchConsumer}: a fetch that completes closes its subscription while the reader thread
 * may still be handing it the last message, which then waits for its ack wait to be redelivered
 * (seen under load with jnats 2.26.2). {@link #status()} reports a stalled worker (consumer cannot
 * be set up or read, pull loop stuck, handler hung) as unhealthy.
 */
public class JetStreamPullWorker {

	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	/** How long a pull waits for busy handlers to free their slots before it asks for fewer messages. */
	private static final long SLOT_GATHERING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/** How much longer than the server the client waits for a pull, so the server's end comes first. */
	private static final long PULL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** Every this many pulls, a worker of several consumers starts from the lowest priority. */
	static final int STARVATION_GUARD_ROUNDS = 8;

	/** How long a worker may wait for the connection (a fail-over takes well under this) before it is unhealthy. */
	private static final long CONNECTION_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** The longest a worker of several consumers waits on the highest priority when all are empty. */
	private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

	private static final ThreadLocal<Boolean> inHandler = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final PullWorkerSettings settings;

	private final Connection connection;

	private final JetStreamOptions options;

	private final NatsSubjectResolver subjects;

	private final NatsMessageConverter converter;

	private final JetStreamMessageHandler handler;

	private final PullWorkerMetrics metrics;

	private final @Nullable NatsConnectionReadiness readiness;

	private final DeliveryFailureHandler failures;

	private final MaxDeliveriesAdvisoryListener advisories;

	private final NatsExceptionTranslator translator;

	private final Runnable onReady = this::onConnectionReady;

	/** Messages being handled, with when they were delivered and last reported in progress. */
	private final Map<JetStreamMessage, InFlight> inFlight = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicInteger earlyEmptyPulls = new AtomicInteger();

	private volatile @Nullable Run current;

	private volatile @Nullable Thread previousThread;

	private volatile boolean provisionNeeded = true;

	/** Whether the dead-letter stream still has to be created or given its replicas (after a connect, or a failure). */
	private volatile boolean deadLetterStreamNeeded = true;

	/**
	 * Why the consumer's status could not be read at the latest refreshes, or null: a consumer
	 * without a leader (no quorum, a node lost) never ends a pull early, so an unanswered status
	 * request is how a stall shows.
	 */
	private volatile @Nullable String unanswered;

	/** Whether setting up the dead-letter stream failed since it last succeeded (logged once). */
	private volatile boolean deadLetterStreamFailing;

	/** Since when the worker waits for the connection (System.nanoTime), or 0. */
	private volatile long waitingSince;

	private volatile PullWorkerStatus.State state = PullWorkerStatus.State.STOPPED;

	private volatile @Nullable String problem;

	private volatile @Nullable Instant lastPullAt;

	private volatile long pullStartedNanos;

	private volatile long nextStatusNanos;

	/** The latest figures of each consumer, highest priority first. */
	private final ConsumerInfo[] lastInfos;

	private final AtomicLong rounds = new AtomicLong();

	/** Rounds in a row in which no consumer of a multi-consumer worker had messages. */
	private final AtomicInteger idleRounds = new AtomicInteger();

	/**
	 * Creates a worker.
	 * @param settings what to consume and how
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param subjects strips the namespace from subjects of received messages
	 * @param converter converts payloads of received messages
	 * @param handler handles each message
	 * @param recoverer stores dead letters
	 * @param metrics where redeliveries and dead letters are counted
	 * @param readiness what the worker waits for before it sets up its consumer, or null to wait for
	 * the connection only
	 */
	public JetStreamPullWorker(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			NatsSubjectResolver subjects, NatsMessageConverter converter, JetStreamMessageHandler handler,
			DeadLetterPublishingRecoverer recoverer, PullWorkerMetrics metrics,
			@Nullable NatsConnectionReadiness readiness) {
		this(settings, connection, options, subjects, converter, handler, recoverer, metrics, readiness,
				new NatsExceptionTranslator());
	}

	/**
	 * Creates a worker that tells refused permissions apart from a quiet consumer.
	 * @param settings what to consume and how
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param subjects strips the namespace from subjects of received messages
	 * @param converter converts payloads of received messages
	 * @param handler handles each message
	 * @param recoverer stores dead letters
	 * @param metrics where redeliveries and dead letters are counted
	 * @param readiness what the worker waits for before it sets up its consumer, or null to wait for
	 * the connection only
	 * @param translator the connection's record of refused permissions: a refused pull returns
	 * nothing, like an empty stream, and only the server's asynchronous error tells
	 */
	public JetStreamPullWorker(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			NatsSubjectResolver subjects, NatsMessageConverter converter, JetStreamMessageHandler handler,
			DeadLetterPublishingRecoverer recoverer, PullWorkerMetrics metrics,
			@Nullable NatsConnectionReadiness readiness, NatsExceptionTranslator translator) {
		this.translator = translator;
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.subjects = subjects;
		this.converter = converter;
		this.handler = handler;
		this.metrics = metrics;
		this.readiness = readiness;
		this.failures = new DeliveryFailureHandler(settings, recoverer, metrics);
		this.advisories = new MaxDeliveriesAdvisoryListener(settings, connection, options, recoverer, this.failures);
		this.lastInfos = new ConsumerInfo[settings.consumers().size()];
	}

	/**
	 * The worker's settings.
	 * @return the settings
	 */
	public PullWorkerSettings getSettings() {
		return this.settings;
	}

	/**
	 * Whether the worker is started.
	 * @return true between start and stop
	 */
	public boolean isRunning() {
		return this.current != null;
	}

	/**
	 * Whether the worker has its consumer and pulls from it.
	 * @return true while consuming
	 */
	public boolean isConsuming() {
		return this.current != null && !this.provisionNeeded && this.state == PullWorkerStatus.State.CONSUMING;
	}

	/**
	 * Starts pulling. With {@code nats.startup=fail} and a ready connection, the consumer is set up
	 * at once and a failure (e.g. a missing stream) is thrown; otherwise setup happens in the
	 * background and failures are retried (and reported by {@link #status()}).
	 * @throws NatsJetStreamException when the consumer cannot be set up at a fail-fast start
	 * @throws IllegalStateException when the previous run's handlers are still running
	 */
	public synchronized void start() {
		if (this.current != null) {
			return;
		}
		awaitPreviousRun();
		Run run = new Run();
		this.current = run;
		this.provisionNeeded = true;
		this.consecutiveFailures.set(0);
		this.problem = null;
		if (this.readiness != null) {
			this.readiness.whenReady(this.onReady);
			if (this.readiness.isFailFast() && this.readiness.isReady()) {
				try {
					provision(run);
				}
				catch (Exception ex) {
					stop();
					throw (ex instanceof NatsJetStreamException failure) ? failure : new NatsJetStreamException(
							"Worker '" + this.settings.id() + "' cannot set up its consumer: " + ex.getMessage(), 0, ex);
				}
			}
		}
		run.thread.start();
	}

	private void awaitPreviousRun() {
		Thread previous = this.previousThread;
		if (previous == null || !previous.isAlive()) {
			return;
		}
		try {
			previous.join(this.settings.drainTimeout().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (previous.isAlive()) {
			throw new IllegalStateException("Worker '" + this.settings.id()
					+ "' cannot start: a handler of its previous run is still running");
		}
	}

	/**
	 * Stops: no more pulls; running handlers may finish within the drain timeout, and messages
	 * still running after it are released (nak) to other workers. Called from a handler, it stops
	 * pulling at once and finishes in the background.
	 */
	public void stop() {
		Run run;
		synchronized (this) {
			run = this.current;
			if (run == null) {
				return;
			}
			this.current = null;
			run.active = false;
			this.previousThread = run.thread;
			if (this.readiness != null) {
				this.readiness.removeReadyAction(this.onReady);
			}
		}
		wake();
		if (inHandler.get()) {
			// a handler waiting for its own run to end would wait for ever
			Thread stopper = NatsThreads.daemon("nats-stop-" + this.settings.id()).newThread(() -> drain(run));
			stopper.start();
			return;
		}
		drain(run);
	}

	private void drain(Run run) {
		long deadline = System.nanoTime() + this.settings.drainTimeout().toNanos();
		try {
			if (run.thread != Thread.currentThread() && run.thread.isAlive()) {
				run.thread.join(Math.max(1, remainingMillis(deadline)));
			}
			// a pull still waiting on the server loses its interest: nothing more comes to this run,
			// and messages released below go to other workers
			unsubscribe(run);
			if (run.pool != null) {
				run.pool.shutdown();
				run.pool.awaitTermination(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		releaseInFlight();
		if (run.pool != null) {
			for (Runnable queued : run.pool.shutdownNow()) {
				if (queued instanceof HandlerTask task) {
					task.message.nak();
				}
			}
		}
		if (run.thread.isAlive()) {
			run.thread.interrupt();
		}
		run.heartbeats.shutdownNow();
		run.setup.shutdownNow();
		synchronized (this) {
			if (this.current == null) {
				this.advisories.close();
				this.failures.close();
				this.state = PullWorkerStatus.State.STOPPED;
			}
		}
	}

	private void unsubscribe(Run run) {
		for (JetStreamSubscription subscription : run.subscriptions) {
			if (subscription != null && subscription.isActive()) {
				try {
					subscription.unsubscribe();
				}
				catch (RuntimeException ex) {
					logger.debug(ex, "Could not unsubscribe the pull subscription");
				}
			}
		}
	}

	/**
	 * What the worker is doing, and whether it is healthy.
	 * @return the status
	 */
	public PullWorkerStatus status() {
		boolean healthy = true;
		String why = this.problem;
		PullWorkerStatus.State now = this.state;
		Run run = this.current;
		if (run != null) {
			long pullStarted = this.pullStartedNanos;
			long stuckAfter = this.settings.maxWait().toNanos() * 2 + TimeUnit.SECONDS.toNanos(10);
			String hung = hungHandler();
			if (!run.thread.isAlive() && run.thread.getState() != Thread.State.NEW) {
				healthy = false;
				why = "its pull loop is not running";
			}
			else if (now == PullWorkerStatus.State.FAILING
					|| (now == PullWorkerStatus.State.PROVISIONING && this.consecutiveFailures.get() > 0)) {
				// between two failed attempts the state says PROVISIONING: still stalled
				healthy = false;
			}
			else if (now == PullWorkerStatus.State.WAITING_FOR_CONNECTION && this.waitingSince != 0
					&& System.nanoTime() - this.waitingSince > CONNECTION_GRACE_NANOS) {
				healthy = false;
				why = "it has been waiting " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - this.waitingSince)
						+ " s for the NATS connection to be ready";
			}
			else if (pullStarted != 0 && System.nanoTime() - pullStarted > stuckAfter) {
				healthy = false;
				why = "a pull has not finished for " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - pullStarted)
						+ " s";
			}
			else if (hung != null) {
				healthy = false;
				why = hung;
			}
			else if (this.unanswered != null) {
				healthy = false;
				why = this.unanswered;
			}
		}
		long pending = 0;
		long ackPending = 0;
		long redelivered = 0;
		for (ConsumerInfo info : this.lastInfos.clone()) {
			if (info != null) {
				pending += info.getNumPending();
				ackPending += info.getNumAckPending();
				redelivered += info.getRedelivered();
			}
		}
		return new PullWorkerStatus(this.settings.id(), this.settings.stream(),
				String.join(",", this.settings.consumerNames()), now, healthy, healthy ? null : why, this.lastPullAt,
				pending, ackPending, redelivered, this.handled.get(), this.failed.get(), this.failures.deadLettered());
	}

	private @Nullable String hungHandler() {
		long limit = this.settings.maxProcessingTime().toNanos();
		long now = System.nanoTime();
		for (Map.Entry<JetStreamMessage, InFlight> entry : this.inFlight.entrySet()) {
			if (now - entry.getValue().since > limit) {
				return "the handler of " + entry.getKey() + " runs longer than " + this.settings.maxProcessingTime();
			}
		}
		return null;
	}

	private void onConnectionReady() {
		this.provisionNeeded = true;
		this.deadLetterStreamNeeded = true;
		wake();
	}

	private void run(Run run) {
		while (run.active) {
			try {
				if (!isReady()) {
					if (this.state != PullWorkerStatus.State.WAITING_FOR_CONNECTION) {
						this.waitingSince = System.nanoTime();
					}
					this.state = PullWorkerStatus.State.WAITING_FOR_CONNECTION;
					pause(run, 200);
					continue;
				}
				this.waitingSince = 0;
				if (this.provisionNeeded || !run.subscribed()) {
					this.state = PullWorkerStatus.State.PROVISIONING;
					provision(run);
				}
				refreshStatusWhenDue(run);
				if (!run.subscribed() || this.provisionNeeded) {
					continue;
				}
				JetStreamSubscription[] subscriptions = run.subscriptions.clone();
				for (JetStreamSubscription subscription : subscriptions) {
					handleLateArrivals(run, subscription);
				}
				int granted = acquireSlots(run);
				if (granted > 0) {
					pull(run, subscriptions, granted);
				}
			}
			catch (InterruptedException ex) {
				if (run.active) {
					logger.debug(() -> "Worker '" + this.settings.id() + "' was interrupted; it goes on");
				}
			}
			catch (Throwable ex) {
				if (!run.active) {
					break; // stopping: e.g. the pull subscription was closed under the pull
				}
				attemptFailed(run, ex);
			}
		}
	}

	private boolean isReady() {
		return (this.readiness != null) ? this.readiness.isReady()
				: this.connection.getStatus() == Connection.Status.CONNECTED;
	}

	private void provision(Run run) throws IOException, JetStreamApiException {
		String stream = this.settings.stream();
		JetStreamManagement management = this.connection.jetStreamManagement(this.options);
		StreamInfo info;
		try {
			info = management.getStreamInfo(stream);
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
				Map<String, String> setupFailures = (this.readiness != null) ? this.readiness.setupFailures() : Map.of();
				// a stream natsboot creates is missing because its setup failed: say why, not what to declare
				String hint = setupFailures.isEmpty() ? "; create it, or declare a NatsStreamDefinition bean for it"
						: " (the connection's setup failed, and is retried: " + String.join("; ", setupFailures.values()) + ")";
				throw new NatsJetStreamException("Worker '" + this.settings.id() + "': stream '" + stream
						+ "' does not exist" + hint, JetStreamErrors.STREAM_NOT_FOUND, ex);
			}
			throw ex;
		}
		setUpDeadLetterStreamLater(run);
		List<ConsumerConfiguration> consumers = this.settings.consumers();
		for (int i = 0; i < consumers.size(); i++) {
			String name = consumers.get(i).getDurable();
			try {
				this.lastInfos[i] = management.addOrUpdateConsumer(stream, consumers.get(i));
			}
			catch (JetStreamApiException ex) {
				throw new NatsJetStreamException("Worker '" + this.settings.id() + "' cannot create or update consumer '"
						+ name + "' of stream '" + stream + "': " + ex.getErrorDescription() + " (code "
						+ ex.getApiErrorCode() + "); a change the server refuses needs a new durable name or a deleted consumer",
						ex.getApiErrorCode(), ex);
			}
			JetStreamSubscription subscription = run.subscriptions[i];
			if (subscription == null || !subscription.isActive()) {
				// bound by name: it outlives reconnects and a consumer deleted and created again
				run.subscriptions[i] = this.connection.jetStream(this.options)
					.subscribe(null, PullSubscribeOptions.fastBind(stream, name));
			}
		}
		this.advisories.listen(info.getConfiguration().getRetentionPolicy() == RetentionPolicy.WorkQueue);
		this.provisionNeeded = false;
		this.nextStatusNanos = System.nanoTime() + this.settings.statusInterval().toNanos();
		logger.debug(() -> "Worker '" + this.settings.id() + "' consumes stream '" + stream + "' through consumer(s) "
				+ this.settings.consumerNames());
	}

	/**
	 * Creates the dead-letter stream when missing, or gives it the configured replicas, on the
	 * run's heartbeat thread. Consumption never waits for it: a stream on a lost node or in an
	 * election (whose API calls time out) is tried again at the next status refresh, and a dead
	 * letter that cannot be stored meanwhile keeps its original.
	 */
	private void setUpDeadLetterStreamLater(Run run) {
		if (this.settings.deadLetterStream() == null || !this.deadLetterStreamNeeded
				|| !run.deadLetterSetupQueued.compareAndSet(false, true)) {
			return;
		}
		try {
			run.setup.execute(() -> {
				try {
					setUpDeadLetterStream();
				}
				finally {
					run.deadLetterSetupQueued.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			run.deadLetterSetupQueued.set(false); // stopping
		}
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
			// only ever more replicas: an operator's larger setting (or another application's) stays
			if (existing != null && existing.getConfiguration().getReplicas() < configuration.getReplicas()) {
				management.updateStream(StreamConfiguration.builder(existing.getConfiguration())
					.replicas(configuration.getReplicas())
					.build());
			}
			this.deadLetterStreamNeeded = false;
			if (this.deadLetterStreamFailing) {
				this.deadLetterStreamFailing = false;
				logger.info(() -> "Worker '" + this.settings.id() + "': dead-letter stream '" + configuration.getName()
						+ "' is set up");
			}
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			String why = (ex instanceof JetStreamApiException api) ? api.getErrorDescription() + " (code "
					+ api.getApiErrorCode() + ")" : String.valueOf(ex.getMessage());
			if (this.deadLetterStreamFailing) {
				logger.debug(ex, () -> "Worker '" + this.settings.id() + "' still cannot set up its dead-letter stream");
				return;
			}
			this.deadLetterStreamFailing = true; // once per outage; tried again at every status refresh
			logger.warn(() -> "Worker '" + this.settings.id() + "' cannot set up dead-letter stream '"
					+ configuration.getName() + "' for " + configuration.getSubjects() + " (" + why + "); it consumes "
					+ "on and keeps messages that fail for good until dead letters can be stored");
		}
	}

	private void refreshStatusWhenDue(Run run) {
		long now = System.nanoTime();
		if (now < this.nextStatusNanos) {
			return;
		}
		this.nextStatusNanos = now + this.settings.statusInterval().toNanos();
		setUpDeadLetterStreamLater(run);
		List<String> names = this.settings.consumerNames();
		String noAnswer = null;
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			try {
				this.lastInfos[i] = this.connection.jetStreamManagement(this.options)
					.getConsumerInfo(this.settings.stream(), name);
			}
			catch (IOException | JetStreamApiException | RuntimeException ex) {
				if (FailoverRetry.isTransient(ex)) {
					NatsPermissionException refused = NatsExceptionTranslator.isNoAnswer(ex)
							? this.translator.explainNoReply(this.connection, NatsPermissionException.Operation.JETSTREAM_API,
									"read consumer '" + name + "' of stream '" + this.settings.stream() + "'",
									this.translator.mark() - this.options.getRequestTimeout().toNanos() - PULL_GRACE_NANOS,
									(subject) -> subject.contains(this.settings.stream()), ex)
							: null;
					noAnswer = (refused != null) ? refused.getMessage() : "consumer '" + name + "' of stream '"
							+ this.settings.stream() + "' does not answer (no leader, or its servers are down): "
							+ NatsFailures.rootMessage(ex);
					String why = noAnswer;
					logger.debug(ex, () -> "Worker '" + this.settings.id() + "': " + why);
				}
				else {
					statusFailed(name, ex);
				}
			}
		}
		if (noAnswer == null && this.unanswered != null) {
			logger.info(() -> "Worker '" + this.settings.id() + "': its consumer answers again");
		}
		else if (noAnswer != null && this.unanswered == null) {
			String why = noAnswer;
			logger.warn(() -> "Worker '" + this.settings.id() + "': " + why);
		}
		this.unanswered = noAnswer;
	}

	private void statusFailed(String name, Exception failure) {
		if (failure instanceof JetStreamApiException ex
				&& (ex.getApiErrorCode() == JetStreamErrors.CONSUMER_NOT_FOUND || ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND)) {
			logger.warn(() -> "Worker '" + this.settings.id() + "': consumer '" + name + "' of stream '"
					+ this.settings.stream() + "' is gone (" + ex.getErrorDescription() + "); setting it up again");
			this.provisionNeeded = true;
			return;
		}
		logger.debug(failure, () -> "Worker '" + this.settings.id() + "' could not read its consumer's status");
	}

	/**
	 * Handles messages of an earlier pull that arrived after it ended (rare: after a disconnect or
	 * when the server answered late), each once a handler is free.
	 */
	private void handleLateArrivals(Run run, JetStreamSubscription subscription) throws InterruptedException {
		Message raw = subscription.nextMessage((Duration) null);
		while (raw != null) {
			run.slots.acquire();
			dispatch(run, raw);
			raw = subscription.nextMessage((Duration) null);
		}
	}

	private int acquireSlots(Run run) throws InterruptedException {
		Semaphore free = run.slots;
		if (!free.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		int wanted = Math.min(this.settings.batchSize(), this.settings.concurrency());
		int granted = 1;
		try {
			// Handlers about to finish free their slots within microseconds: waiting that long for
			// them makes one full pull instead of several small ones (each a round trip).
			long deadline = System.nanoTime() + SLOT_GATHERING_NANOS;
			while (granted < wanted) {
				if (free.tryAcquire()) {
					granted++;
					continue;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0 || !free.tryAcquire(left, TimeUnit.NANOSECONDS)) {
					break;
				}
				granted++;
			}
		}
		catch (InterruptedException ex) {
			free.release(granted);
			throw ex;
		}
		return granted;
	}

	/**
	 * One round: with one consumer a waiting pull for the granted slots; with several, pulls that
	 * do not wait from each in priority order until the slots are used, and a waiting pull on the
	 * highest priority when all were empty.
	 */
	private void pull(Run run, JetStreamSubscription[] subscriptions, int granted) throws InterruptedException {
		int[] used = { 0 };
		long started = System.nanoTime();
		Duration wait = this.settings.maxWait();
		try {
			if (subscriptions.length > 1) {
				boolean lowestFirst = this.rounds.incrementAndGet() % STARVATION_GUARD_ROUNDS == 0;
				for (int i = 0; i < subscriptions.length && used[0] < granted; i++) {
					int left = granted - used[0];
					take(run, subscriptions[lowestFirst ? subscriptions.length - 1 - i : i],
							PullRequestOptions.builder(left).noWait().build(), left, PULL_GRACE_NANOS, used);
				}
				// all empty: wait on the highest priority, briefly while tasks keep coming (the others
				// are looked at again soon), longer the longer the worker is idle
				int idle = (used[0] == 0) ? this.idleRounds.getAndIncrement() : 0;
				Duration idleWait = Duration.ofMillis(Math.min(IDLE_WAIT.toMillis(), 50L << Math.min(idle, 5)));
				wait = idleWait.compareTo(wait) < 0 ? idleWait : wait;
				started = System.nanoTime();
			}
			if (used[0] == 0) {
				take(run, subscriptions[0], PullRequestOptions.builder(granted).expiresIn(wait).build(), granted,
						wait.toNanos() + PULL_GRACE_NANOS, used);
			}
		}
		finally {
			run.slots.release(granted - used[0]);
			this.lastPullAt = Instant.now();
		}
		if (used[0] == 0 && refusedPull(started)) {
			pause(run, 1000);
			return;
		}
		if (used[0] == 0 && wait.toMillis() >= 500 && System.nanoTime() - started < wait.toNanos() / 2) {
			// the server ended the pull at once without messages: the consumer may be gone
			int early = this.earlyEmptyPulls.incrementAndGet();
			this.nextStatusNanos = 0;
			if (early >= 10 && run.active) {
				this.state = PullWorkerStatus.State.FAILING;
				this.problem = "pulls end at once without messages (" + early + " in a row)";
			}
			pause(run, Math.min(5000, 100L << Math.min(early - 1, 6)));
			return;
		}
		this.earlyEmptyPulls.set(0);
		if (used[0] > 0) {
			this.idleRounds.set(0);
			this.unanswered = null; // messages came: the consumer has a leader again
		}
		if (run.active) {
			succeeded();
		}
	}

	/**
	 * Whether an empty pull was refused by the server: then the worker is stalled, not idle.
	 * @param since when the pull started (System.nanoTime)
	 */
	private boolean refusedPull(long since) {
		if (!this.translator.hasRefusedPublishes()) {
			return false;
		}
		String pulls = ".CONSUMER.MSG.NEXT." + this.settings.stream() + ".";
		List<String> refused = this.translator.publishesRefusedSince(this.connection, since - PULL_GRACE_NANOS,
				(subject) -> subject.contains(pulls));
		if (refused.isEmpty()) {
			return false;
		}
		this.state = PullWorkerStatus.State.FAILING;
		this.problem = "the NATS server refuses this user's pulls ('" + refused.get(0) + "'): grant publish permission on "
				+ "$JS.API.CONSUMER.MSG.NEXT." + this.settings.stream() + ".>";
		if (this.consecutiveFailures.getAndIncrement() == 0) {
			logger.error(() -> "Worker '" + this.settings.id() + "': " + this.problem);
		}
		return true;
	}

	/** Pulls up to {@code max} messages from one subscription and dispatches each, counting in {@code used}. */
	private void take(Run run, JetStreamSubscription subscription, PullRequestOptions request, int max,
			long waitNanos, int[] used) throws InterruptedException {
		long started = System.nanoTime();
		this.pullStartedNanos = started;
		try {
			subscription.pull(request);
			long deadline = started + waitNanos;
			for (int taken = 0; taken < max; taken++) {
				long left = deadline - System.nanoTime();
				Message raw = (left > 0) ? subscription.nextMessage(Duration.ofNanos(left)) : null;
				if (raw == null) {
					return; // the pull expired, or the server had fewer messages
				}
				used[0]++;
				dispatch(run, raw);
			}
		}
		finally {
			this.pullStartedNanos = 0;
		}
	}

	private void dispatch(Run run, Message raw) {
		if (run.pool == null) {
			// in order, on the pull thread; a long handler is not a stuck pull
			long pullStarted = this.pullStartedNanos;
			this.pullStartedNanos = 0;
			try {
				process(raw);
			}
			finally {
				run.slots.release();
				this.pullStartedNanos = (pullStarted != 0) ? System.nanoTime() : 0;
			}
			return;
		}
		try {
			run.pool.execute(new HandlerTask(raw, run.slots));
		}
		catch (RejectedExecutionException ex) {
			run.slots.release();
			raw.nak(); // stopping: another worker takes it at once
		}
	}

	private void process(Message raw) {
		JetStreamMessage message;
		try {
			message = new JetStreamMessage(NatsMessage.received(raw, this.subjects, this.converter), raw);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Worker '" + this.settings.id() + "' received a message it cannot read from '"
					+ raw.getSubject() + "'; it is delivered again");
			raw.nak();
			return;
		}
		this.inFlight.put(message, new InFlight(System.nanoTime()));
		inHandler.set(Boolean.TRUE);
		try {
			if (message.deliveredCount() > 1) {
				this.metrics.redelivered(this.settings.id());
			}
			this.handler.handle(message);
			this.handled.incrementAndGet();
			if (this.settings.autoAck()) {
				message.ack();
			}
		}
		catch (Throwable ex) {
			this.failed.incrementAndGet();
			this.failures.onFailure(message, NatsFailures.unwrap(ex));
		}
		finally {
			inHandler.set(Boolean.FALSE);
			this.inFlight.remove(message);
		}
	}

	private void sendHeartbeats() {
		long now = System.nanoTime();
		long threshold = this.settings.ackWait().toNanos() / 2;
		long limit = this.settings.maxProcessingTime().toNanos();
		this.inFlight.forEach((message, inFlight) -> {
			if (now - inFlight.touched < threshold || message.isAcknowledged()) {
				return;
			}
			if (now - inFlight.since > limit) {
				if (!inFlight.abandoned) {
					inFlight.abandoned = true;
					logger.warn(() -> "Worker '" + this.settings.id() + "': the handler of " + message + " runs longer than "
							+ this.settings.maxProcessingTime() + "; no more heartbeats, so the server delivers it again");
				}
				return;
			}
			try {
				message.inProgress();
				inFlight.touched = now;
			}
			catch (RuntimeException ex) {
				logger.debug(ex, () -> "Could not report " + message + " in progress");
			}
		});
	}

	private void releaseInFlight() {
		int released = 0;
		for (JetStreamMessage message : this.inFlight.keySet()) {
			if (!message.isAcknowledged()) {
				try {
					this.handler.released(message);
				}
				catch (RuntimeException ex) {
					logger.warn(ex, () -> "Worker '" + this.settings.id() + "' could not prepare the release of " + message);
				}
				try {
					message.nak();
					released++;
				}
				catch (RuntimeException ex) {
					logger.debug(ex, () -> "Could not release " + message);
				}
			}
		}
		if (released > 0) {
			int count = released;
			logger.warn(() -> "Worker '" + this.settings.id() + "' released " + count
					+ " message(s) still running after the drain timeout to other workers");
		}
	}

	private void succeeded() {
		if (this.consecutiveFailures.getAndSet(0) > 0) {
			logger.info(() -> "Worker '" + this.settings.id() + "' consumes again");
		}
		this.problem = null;
		this.state = PullWorkerStatus.State.CONSUMING;
	}

	private void attemptFailed(Run run, Throwable ex) {
		int failures = this.consecutiveFailures.incrementAndGet();
		this.nextStatusNanos = 0; // ask the consumer at once: a stall must show before a quiet pull looks idle
		this.state = PullWorkerStatus.State.FAILING;
		// natsboot's own exceptions say what failed and what to do; others are described by their cause
		this.problem = (ex instanceof NatsException) ? ex.getMessage() : NatsFailures.rootMessage(ex);
		if (!(ex instanceof NatsJetStreamException)) {
			this.provisionNeeded = true; // e.g. 409 Consumer Deleted: set the consumer up again
		}
		if (failures == 1) {
			logger.error(ex, () -> "Worker '" + this.settings.id() + "' failed: " + this.problem + "; retrying");
		}
		else {
			logger.debug(ex, () -> "Worker '" + this.settings.id() + "' failed again: " + this.problem);
		}
		try {
			pause(run, Math.min(5000, 250L << Math.min(failures - 1, 5)));
		}
		catch (InterruptedException interrupted) {
			// stopping
		}
	}

	private void pause(Run run, long millis) throws InterruptedException {
		synchronized (this.wakeUp) {
			if (run.active) {
				this.wakeUp.wait(millis);
			}
		}
	}

	private void wake() {
		synchronized (this.wakeUp) {
			this.wakeUp.notifyAll();
		}
	}

	private static long remainingMillis(long deadlineNanos) {
		return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
	}

	@Override
	public String toString() {
		return "JetStreamPullWorker[" + this.settings.id() + " on " + this.settings.stream() + "/"
				+ this.settings.consumerName() + "]";
	}

	/** What one start owns: its slots, threads and subscription; a later start gets new ones. */
	private final class Run {

		final Semaphore slots = new Semaphore(JetStreamPullWorker.this.settings.concurrency());

		final @Nullable ExecutorService pool;

		final ScheduledExecutorService heartbeats;

		/** Sets up the dead-letter stream, whose API calls may wait out a timeout: never on the heartbeat thread. */
		final ExecutorService setup;

		final Thread thread;

		volatile boolean active = true;

		/** Whether a setup of the dead-letter stream is queued on the heartbeat thread. */
		final AtomicBoolean deadLetterSetupQueued = new AtomicBoolean();

		/** One per consumer; touched by the pull thread only (and by stop once that thread ended or timed out). */
		final @Nullable JetStreamSubscription[] subscriptions = new JetStreamSubscription[JetStreamPullWorker.this.settings
			.consumers()
			.size()];

		Run() {
			PullWorkerSettings settings = JetStreamPullWorker.this.settings;
			this.pool = (settings.concurrency() > 1)
					? Executors.newFixedThreadPool(settings.concurrency(), NatsThreads.daemon("nats-worker-" + settings.id()))
					: null;
			this.heartbeats = Executors
				.newSingleThreadScheduledExecutor(NatsThreads.daemon("nats-heartbeat-" + settings.id()));
			this.setup = Executors.newSingleThreadExecutor(NatsThreads.daemon("nats-setup-" + settings.id()));
			long period = Math.max(50, settings.ackWait().toMillis() / 4);
			this.heartbeats.scheduleAtFixedRate(JetStreamPullWorker.this::sendHeartbeats, period, period,
					TimeUnit.MILLISECONDS);
			this.thread = NatsThreads.daemon("nats-pull-" + settings.id()).newThread(() -> run(this));
		}

		boolean subscribed() {
			for (JetStreamSubscription subscription : this.subscriptions) {
				if (subscription == null) {
					return false;
				}
			}
			return true;
		}

	}

	/** A message handed to the pool; it gives its slot back when done. */
	private final class HandlerTask implements Runnable {

		final Message message;

		private final Semaphore slots;

		HandlerTask(Message message, Semaphore slots) {
			this.message = message;
			this.slots = slots;
		}

		@Override
		public void run() {
			try {
				process(this.message);
			}
			finally {
				this.slots.release();
			}
		}

	}

	/** When a message in hand was delivered and last reported in progress. */
	private static final class InFlight {

		final long since;

		volatile long touched;

		volatile boolean abandoned;

		InFlight(long since) {
			this.since = since;
			this.touched = since;
		}

	}

}
