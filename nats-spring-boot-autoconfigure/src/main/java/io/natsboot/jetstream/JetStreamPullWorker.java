package io.natsboot.jetstream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Consumes a JetStream stream through a durable pull consumer, at least once: the
 * pull-worker machinery shared by durable {@code @NatsListener}s and the task queue. This
 * class owns the lifecycle (start, stop, drain) and the pull loop with its handler slots;
 * the parts it ties together set up the consumers ({@code PullConsumerProvisioner}), read
 * their status ({@code ConsumerStatusRefresher}), keep messages in hand alive
 * ({@code InFlightTracker}), report health ({@code PullWorkerHealth}) and choose what to
 * pull ({@link PullStrategy}).
 * <ul>
 * <li>The consumer is created or updated when the connection is ready, and again after
 * every reconnect and whenever it is found missing (deleted by an operator, server
 * restarted without its state); it is never deleted.</li>
 * <li>One thread pulls; a pull never asks for more messages than there are free handler
 * slots, because the ack wait starts at delivery. With concurrency 1 the handler runs on
 * that thread, so messages are handled in stream order; with more, on a pool.</li>
 * <li>A message is acknowledged after its handler returned. Messages whose handler runs
 * longer than half the ack wait get {@code inProgress} heartbeats, up to the max
 * processing time.</li>
 * <li>Failures go to a {@link DeliveryFailureHandler}: redelivery after the retry
 * back-off, then the {@link DeadLetterPublishingRecoverer}. A message whose handler never
 * returns (it killed its worker each time) is dead-lettered from the server's
 * {@code MAX_DELIVERIES} advisory.</li>
 * <li>Stopping stops pulling, lets running handlers finish within the drain timeout and
 * naks what is still running then, so other workers get it at once (a handler that is
 * also a {@link ReleaseListener} is told first).</li>
 * </ul>
 * Pulls go through one long-lived pull subscription rather than jnats' per-fetch
 * {@code FetchConsumer}: a fetch that completes closes its subscription while the reader
 * thread may still be handing it the last message, which then waits for its ack wait to
 * be redelivered (seen under load with jnats 2.26.2). {@link #status()} reports a stalled
 * worker (consumer cannot be set up or read, pull loop stuck, handler hung) as unhealthy.
 */
public class JetStreamPullWorker {

	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	/**
	 * How long a pull waits for busy handlers to free their slots before it asks for
	 * fewer messages.
	 */
	private static final long SLOT_GATHERING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/**
	 * How much longer than the server the client waits for a pull, so the server's end
	 * comes first.
	 */
	static final long PULL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

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

	private final PullStrategy strategy;

	private final ConsumerStatusRefresher consumerStatus;

	private final PullConsumerProvisioner provisioner;

	private final InFlightTracker inFlight;

	private final PullWorkerHealth health;

	private final Runnable onReady = this::onConnectionReady;

	private final Object wakeUp = new Object();

	private final AtomicInteger earlyEmptyPulls = new AtomicInteger();

	/**
	 * When the current run of empty rounds began (System.nanoTime), or 0; pull thread
	 * only.
	 */
	private long emptySinceNanos;

	/** When the latest empty round began (System.nanoTime), or 0; pull thread only. */
	private long lastEmptyRoundNanos;

	private volatile @Nullable Run current;

	private volatile @Nullable Thread previousThread;

	private volatile boolean provisionNeeded = true;

	private volatile long pullStartedNanos;

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
	 * @param readiness what the worker waits for before it sets up its consumer, or null
	 * to wait for the connection only
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
	 * @param handler handles each message; told of messages released at stop when it is
	 * also a {@link ReleaseListener}
	 * @param recoverer stores dead letters
	 * @param metrics where redeliveries and dead letters are counted
	 * @param readiness what the worker waits for before it sets up its consumer, or null
	 * to wait for the connection only
	 * @param translator the connection's record of refused permissions: a refused pull
	 * returns nothing, like an empty stream, and only the server's asynchronous error
	 * tells
	 */
	public JetStreamPullWorker(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			NatsSubjectResolver subjects, NatsMessageConverter converter, JetStreamMessageHandler handler,
			DeadLetterPublishingRecoverer recoverer, PullWorkerMetrics metrics,
			@Nullable NatsConnectionReadiness readiness, NatsExceptionTranslator translator) {
		this(settings, connection, options, subjects, converter, handler, recoverer, metrics, readiness, translator,
				PullStrategy.singleConsumer());
	}

	/**
	 * Creates a worker that chooses what to pull with a strategy of its own: needed for a
	 * worker of several consumers.
	 * @param settings what to consume and how
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param subjects strips the namespace from subjects of received messages
	 * @param converter converts payloads of received messages
	 * @param handler handles each message; told of messages released at stop when it is
	 * also a {@link ReleaseListener}
	 * @param recoverer stores dead letters
	 * @param metrics where redeliveries and dead letters are counted
	 * @param readiness what the worker waits for before it sets up its consumer, or null
	 * to wait for the connection only
	 * @param translator the connection's record of refused permissions: a refused pull
	 * returns nothing, like an empty stream, and only the server's asynchronous error
	 * tells
	 * @param strategy which consumer each pull takes from, and how many messages
	 * @throws IllegalArgumentException when the settings have several consumers and the
	 * strategy serves one
	 */
	public JetStreamPullWorker(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			NatsSubjectResolver subjects, NatsMessageConverter converter, JetStreamMessageHandler handler,
			DeadLetterPublishingRecoverer recoverer, PullWorkerMetrics metrics,
			@Nullable NatsConnectionReadiness readiness, NatsExceptionTranslator translator, PullStrategy strategy) {
		if (settings.consumers().size() > 1 && strategy instanceof SingleConsumerPullStrategy) {
			throw new IllegalArgumentException("Pull worker '" + settings.id() + "' serves "
					+ settings.consumers().size() + " consumers: it needs a PullStrategy that chooses among them");
		}
		this.translator = translator;
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.subjects = subjects;
		this.converter = converter;
		this.handler = handler;
		this.metrics = metrics;
		this.readiness = readiness;
		this.strategy = strategy;
		this.failures = new DeliveryFailureHandler(settings, recoverer, metrics);
		this.advisories = new MaxDeliveriesAdvisoryListener(settings, connection, options, recoverer, this.failures);
		this.consumerStatus = new ConsumerStatusRefresher(settings, connection, options, translator);
		this.provisioner = new PullConsumerProvisioner(settings, connection, options, readiness, this.advisories,
				this.consumerStatus);
		this.inFlight = new InFlightTracker(settings, (handler instanceof ReleaseListener listener) ? listener : null);
		this.health = new PullWorkerHealth(settings, this.inFlight, this.consumerStatus, this.failures);
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
		return this.current != null && !this.provisionNeeded && this.health.state() == PullWorkerStatus.State.CONSUMING;
	}

	/**
	 * Starts pulling. With {@code nats.startup=fail} and a ready connection, the consumer
	 * is set up at once and a failure (e.g. a missing stream) is thrown; otherwise setup
	 * happens in the background and failures are retried (and reported by
	 * {@link #status()}).
	 * @throws NatsJetStreamException when the consumer cannot be set up at a fail-fast
	 * start
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
		this.health.started();
		if (this.readiness != null) {
			this.readiness.whenReady(this.onReady);
			if (this.readiness.isFailFast() && this.readiness.isReady()) {
				try {
					provision(run);
				}
				catch (Exception ex) {
					stop();
					throw (ex instanceof NatsJetStreamException failure) ? failure : new NatsJetStreamException(
							"Worker '" + this.settings.id() + "' cannot set up its consumer: " + ex.getMessage(), 0,
							ex);
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
			throw new IllegalStateException(
					"Worker '" + this.settings.id() + "' cannot start: a handler of its previous run is still running");
		}
	}

	/**
	 * Stops: no more pulls; running handlers may finish within the drain timeout, and
	 * messages still running after it are released (nak) to other workers. Called from a
	 * handler, it stops pulling at once and finishes in the background.
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
			// a pull still waiting on the server loses its interest: nothing more comes
			// to this run, and messages released below go to other workers
			unsubscribe(run);
			if (run.pool != null) {
				// what waits for a handler goes back at once: other workers take it
				// while the running ones finish
				releaseWaiting(run);
				run.pool.shutdown();
				run.pool.awaitTermination(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
			}
			awaitSettled(run, deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.inFlight.releaseAll();
		if (run.pool != null) {
			for (Runnable queued : run.pool.shutdownNow()) {
				if (queued instanceof HandlerTask task) {
					giveBack(run, task.message);
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
				this.health.stopped();
			}
		}
	}

	/**
	 * Gives back (nak) the messages delivered to this run that wait for a handler, so a
	 * stop never holds them for the drain timeout.
	 */
	private void releaseWaiting(Run run) {
		List<Runnable> waiting = new ArrayList<>();
		if (run.pool instanceof ThreadPoolExecutor executor) {
			executor.getQueue().drainTo(waiting);
		}
		for (Runnable queued : waiting) {
			if (queued instanceof HandlerTask task) {
				giveBack(run, task.message);
			}
		}
		if (!waiting.isEmpty()) {
			logger.debug(() -> "Worker '" + this.settings.id() + "' gave back " + waiting.size()
					+ " message(s) waiting for a handler");
		}
	}

	/** Gives back (nak) a message no handler took, for other workers. */
	private void giveBack(Run run, JetStreamMessage message) {
		message.nak();
		settled(run, message);
	}

	/**
	 * Waits within the deadline for messages whose handler returned but whose outcome is
	 * still on its way ({@link DeferredCompletionHandler}).
	 */
	private void awaitSettled(Run run, long deadline) throws InterruptedException {
		int limit = this.settings.inHandLimit();
		while (this.inFlight.size() > 0
				&& (run.slots.availablePermits() < limit || run.settling.availablePermits() < limit)
				&& remainingMillis(deadline) > 0) {
			Thread.sleep(5);
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
		Run run = this.current;
		return this.health.status((run != null) ? run.thread : null, this.pullStartedNanos);
	}

	private void onConnectionReady() {
		this.provisionNeeded = true;
		this.provisioner.connectionReady();
		wake();
	}

	private void run(Run run) {
		// a new run judges empty rounds by its own pulls, not those before a stop
		this.emptySinceNanos = 0;
		this.lastEmptyRoundNanos = 0;
		while (run.active) {
			try {
				if (!isReady()) {
					this.health.waitingForConnection();
					pause(run, 200);
					continue;
				}
				this.health.connectionReady();
				if (this.provisionNeeded || !run.subscribed()) {
					this.health.provisioning();
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
					// stopping: e.g. the pull subscription was closed under the pull
					break;
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
		this.provisioner.provision(run.subscriptions, run.setup, run.deadLetterSetupQueued);
		this.provisionNeeded = false;
		this.consumerStatus.refreshLater();
		logger.debug(() -> "Worker '" + this.settings.id() + "' consumes stream '" + this.settings.stream()
				+ "' through consumer(s) " + this.settings.consumerNames());
	}

	private void refreshStatusWhenDue(Run run) {
		if (!this.consumerStatus.due()) {
			return;
		}
		this.provisioner.setUpDeadLetterStreamLater(run.setup, run.deadLetterSetupQueued);
		this.consumerStatus.refresh(() -> this.provisionNeeded = true);
	}

	/**
	 * Handles messages of an earlier pull that arrived after it ended (rare: after a
	 * disconnect or when the server answered late), each once a handler is free.
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
		int limit = this.settings.inHandLimit();
		// with a prefetch a pull may bring half of what the worker holds: one round trip
		// then feeds many handlers
		int wanted = (this.settings.prefetch() > 0) ? Math.min(limit, Math.max(this.settings.batchSize(), limit / 2))
				: Math.min(this.settings.batchSize(), limit);
		int granted = 1;
		try {
			// Handlers about to finish free their slots within microseconds: waiting that
			// long for them makes one full pull instead of several small ones (each a
			// round trip).
			long deadline = System.nanoTime() + SLOT_GATHERING_NANOS;
			while (granted < wanted) {
				if (free.tryAcquire()) {
					granted++;
					continue;
				}
				if (wellStocked(run) && run.active) {
					// the handlers have enough waiting: a full pull later costs one round
					// trip where small ones now would cost several
					if (free.tryAcquire(50, TimeUnit.MILLISECONDS)) {
						granted++;
					}
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
	 * Whether at least half the prefetch waits for a handler: then the next pull can wait
	 * until it can ask for a full batch.
	 */
	private boolean wellStocked(Run run) {
		int prefetch = this.settings.prefetch();
		return prefetch > 1 && run.pool instanceof ThreadPoolExecutor executor
				&& executor.getQueue().size() >= prefetch / 2;
	}

	/**
	 * One round: the strategy spends the granted slots on pulls; the slots it did not use
	 * are given back, and an empty round tells a refused or vanished consumer from an
	 * idle one.
	 */
	private void pull(Run run, JetStreamSubscription[] subscriptions, int granted) throws InterruptedException {
		Round round = new Round(run, subscriptions, granted);
		try {
			this.strategy.pull(round, granted);
		}
		finally {
			run.slots.release(granted - round.taken);
			this.health.pulled();
		}
		if (round.taken == 0 && refusedPull(round.started)) {
			pause(run, 1000);
			return;
		}
		Duration wait = round.wait;
		if (round.taken == 0 && wait.toMillis() >= 500 && System.nanoTime() - round.started < wait.toNanos() / 2) {
			// the server ended the pull at once without messages: the consumer may be
			// gone
			int early = this.earlyEmptyPulls.incrementAndGet();
			this.consumerStatus.refreshSoon();
			if (early >= 10 && run.active) {
				this.health.failing("pulls end at once without messages (" + early + " in a row)");
			}
			pause(run, Math.min(5000, 100L << Math.min(early - 1, 6)));
			return;
		}
		this.earlyEmptyPulls.set(0);
		if (round.taken > 0) {
			// messages came: the consumer has a leader again
			this.consumerStatus.answered();
			this.emptySinceNanos = 0;
			this.lastEmptyRoundNanos = 0;
		}
		else if (stalledWithPending(run, round.started)) {
			return;
		}
		if (run.active) {
			succeeded();
		}
	}

	/**
	 * Whether an empty round must not count as a good one because the consumer says it
	 * has messages to deliver: a consumer leader cut off from the rest of its cluster
	 * (most nodes down) still answers status requests and pulls, with nothing, so the
	 * worker is stalled, not idle. Such a round keeps the health as it was and asks the
	 * consumer again; when figures read after the previous empty round still show
	 * messages pending, the worker is failing. A backlog drained meanwhile reads as
	 * pending 0 at that read, so an idle worker never reads as stalled. (A worker over
	 * several consumers is left out: its strategy pulls from some while others have
	 * messages waiting.)
	 * @param run the run
	 * @param roundStarted when the empty round began (System.nanoTime)
	 * @return true when the round tells nothing good
	 */
	private boolean stalledWithPending(Run run, long roundStarted) {
		long previous = this.lastEmptyRoundNanos;
		this.lastEmptyRoundNanos = roundStarted;
		if (this.emptySinceNanos == 0) {
			this.emptySinceNanos = roundStarted;
		}
		long pending = this.consumerStatus.pending();
		if (this.settings.consumerNames().size() != 1 || pending == 0) {
			return false;
		}
		this.consumerStatus.refreshSoon();
		if (previous != 0 && this.consumerStatus.answeredSince(previous) && run.active) {
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - this.emptySinceNanos);
			this.health.failing("consumer '" + this.settings.consumerName() + "' of stream '" + this.settings.stream()
					+ "' reports " + pending + " messages pending, yet its pulls have brought none for " + seconds
					+ " s (its leader may be cut off from the rest of the cluster)");
		}
		return true;
	}

	/**
	 * Whether an empty pull was refused by the server: then the worker is stalled, not
	 * idle.
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
		String problem = "the NATS server refuses this user's pulls ('" + refused.get(0)
				+ "'): grant publish permission on $JS.API.CONSUMER.MSG.NEXT." + this.settings.stream() + ".>";
		if (this.health.refused(problem)) {
			logger.error(() -> "Worker '" + this.settings.id() + "': " + problem);
		}
		return true;
	}

	/**
	 * Pulls up to {@code max} messages from one subscription and dispatches each,
	 * counting in the round.
	 */
	private void take(Round round, JetStreamSubscription subscription, PullRequestOptions request, int max,
			long waitNanos) throws InterruptedException {
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
				round.taken++;
				dispatch(round.run, raw);
			}
		}
		finally {
			this.pullStartedNanos = 0;
		}
	}

	private void dispatch(Run run, Message raw) {
		JetStreamMessage message = read(raw);
		if (message == null) {
			run.slots.release();
			return;
		}
		if (run.pool == null) {
			// in order, on the pull thread; a long handler is not a stuck pull
			long pullStarted = this.pullStartedNanos;
			this.pullStartedNanos = 0;
			try {
				process(run, message);
			}
			finally {
				this.pullStartedNanos = (pullStarted != 0) ? System.nanoTime() : 0;
			}
			return;
		}
		// heartbeats from delivery: waiting for a handler never costs the ack wait
		this.inFlight.received(message);
		try {
			run.pool.execute(new HandlerTask(run, message));
		}
		catch (RejectedExecutionException ex) {
			this.inFlight.finished(message);
			run.slots.release();
			message.nak(); // stopping: another worker takes it at once
		}
	}

	private @Nullable JetStreamMessage read(Message raw) {
		try {
			return new JetStreamMessage(NatsMessage.received(raw, this.subjects, this.converter), raw);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Worker '" + this.settings.id() + "' received a message it cannot read from '"
					+ raw.getSubject() + "'; it is delivered again");
			raw.nak();
			return null;
		}
	}

	/**
	 * Runs the handler on a message and gives its slot back once the message is settled:
	 * when the handler returns, or when the stage of a {@link DeferredCompletionHandler}
	 * completes.
	 */
	private void process(Run run, JetStreamMessage message) {
		this.inFlight.started(message);
		inHandler.set(Boolean.TRUE);
		CompletionStage<?> settling = null;
		try {
			if (message.deliveredCount() > 1) {
				this.metrics.redelivered(this.settings.id());
			}
			if (this.handler instanceof DeferredCompletionHandler deferred) {
				settling = deferred.handleDeferred(message);
			}
			else {
				this.handler.handle(message);
			}
			this.health.countHandled();
			if (this.settings.autoAck()) {
				message.ack();
			}
		}
		catch (Throwable ex) {
			this.health.countFailed();
			this.failures.onFailure(message, NatsFailures.unwrap(ex));
		}
		finally {
			inHandler.set(Boolean.FALSE);
			if (settling == null) {
				settled(run, message);
			}
		}
		if (settling != null) {
			settleLater(run, message, settling.toCompletableFuture());
		}
	}

	/**
	 * Lets the next message have the slot of one whose handler returned while its outcome
	 * is still on its way: the message stays in hand (heartbeats, drain) until the stage
	 * completes, counted against a limit of its own, which the handler thread waits for
	 * when it is reached.
	 */
	private void settleLater(Run run, JetStreamMessage message, CompletableFuture<?> settling) {
		boolean counted = false;
		if (!settling.isDone()) {
			try {
				run.settling.acquire();
				counted = true;
				run.slots.release();
			}
			catch (InterruptedException ex) {
				// stopping: the slot stays taken until the message is settled
				Thread.currentThread().interrupt();
			}
		}
		boolean ownPermit = counted;
		settling.whenComplete((result, failure) -> {
			if (failure != null) {
				logger.error(failure, () -> "Worker '" + this.settings.id() + "' could not settle " + message
						+ "; it is delivered again after the ack wait");
			}
			if (ownPermit) {
				this.inFlight.finished(message);
				run.settling.release();
			}
			else {
				settled(run, message);
			}
		});
	}

	private void settled(Run run, JetStreamMessage message) {
		this.inFlight.finished(message);
		run.slots.release();
	}

	private void succeeded() {
		if (this.health.succeeded()) {
			logger.info(() -> "Worker '" + this.settings.id() + "' consumes again");
		}
	}

	private void attemptFailed(Run run, Throwable ex) {
		// natsboot's own exceptions say what failed and what to do; others are described
		// by their cause
		String problem = (ex instanceof NatsException) ? ex.getMessage() : NatsFailures.rootMessage(ex);
		int failures = this.health.attemptFailed(problem);
		// ask the consumer at once: a stall must show before a quiet pull looks idle
		this.consumerStatus.refreshSoon();
		if (!(ex instanceof NatsJetStreamException)) {
			// e.g. 409 Consumer Deleted: set the consumer up again
			this.provisionNeeded = true;
		}
		if (failures == 1) {
			logger.error(ex, () -> "Worker '" + this.settings.id() + "' failed: " + problem + "; retrying");
		}
		else {
			logger.debug(ex, () -> "Worker '" + this.settings.id() + "' failed again: " + problem);
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

	/**
	 * What one start owns: its slots, threads and subscription; a later start gets new
	 * ones.
	 */
	private final class Run {

		/**
		 * The messages this run may hold at once, delivered and waiting or running (and
		 * settling ones while the settling limit is reached or the run stops): a pull
		 * never asks for more than are free.
		 */
		final Semaphore slots = new Semaphore(JetStreamPullWorker.this.settings.inHandLimit());

		/**
		 * The messages whose handler returned and whose outcome is still on its way
		 * ({@link DeferredCompletionHandler}): as many as the slots.
		 */
		final Semaphore settling = new Semaphore(JetStreamPullWorker.this.settings.inHandLimit());

		final @Nullable ExecutorService pool;

		final ScheduledExecutorService heartbeats;

		/**
		 * Sets up the dead-letter stream, whose API calls may wait out a timeout: never
		 * on the heartbeat thread.
		 */
		final ExecutorService setup;

		final Thread thread;

		volatile boolean active = true;

		/**
		 * Whether a setup of the dead-letter stream is queued on the heartbeat thread.
		 */
		final AtomicBoolean deadLetterSetupQueued = new AtomicBoolean();

		/**
		 * One per consumer; touched by the pull thread only (and by stop once that thread
		 * ended or timed out).
		 */
		final @Nullable JetStreamSubscription[] subscriptions = new JetStreamSubscription[JetStreamPullWorker.this.settings
			.consumers()
			.size()];

		Run() {
			PullWorkerSettings settings = JetStreamPullWorker.this.settings;
			// with a prefetch even one handler runs beside the pull thread, which keeps
			// pulling while it works
			this.pool = (settings.concurrency() > 1 || settings.prefetch() > 0) ? Executors
				.newFixedThreadPool(settings.concurrency(), NatsThreads.daemon("nats-worker-" + settings.id())) : null;
			this.heartbeats = Executors
				.newSingleThreadScheduledExecutor(NatsThreads.daemon("nats-heartbeat-" + settings.id()));
			this.setup = Executors.newSingleThreadExecutor(NatsThreads.daemon("nats-setup-" + settings.id()));
			long period = Math.max(50, settings.ackWait().toMillis() / 4);
			this.heartbeats.scheduleAtFixedRate(JetStreamPullWorker.this.inFlight::sendHeartbeats, period, period,
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

	/**
	 * The pulls of one round, on the pull thread: what it took, and when and how long its
	 * waiting pull waited (an empty round that ended early means a vanished consumer).
	 */
	private final class Round implements PullStrategy.Pulls {

		final Run run;

		private final JetStreamSubscription[] subscriptions;

		private final int slots;

		int taken;

		long started = System.nanoTime();

		Duration wait = JetStreamPullWorker.this.settings.maxWait();

		Round(Run run, JetStreamSubscription[] subscriptions, int slots) {
			this.run = run;
			this.subscriptions = subscriptions;
			this.slots = slots;
		}

		@Override
		public int consumers() {
			return this.subscriptions.length;
		}

		@Override
		public int taken() {
			return this.taken;
		}

		@Override
		public Duration maxWait() {
			return JetStreamPullWorker.this.settings.maxWait();
		}

		@Override
		public void pullNoWait(int consumer, int max) throws InterruptedException {
			int left = Math.min(max, this.slots - this.taken);
			if (left > 0) {
				take(this, this.subscriptions[consumer], PullRequestOptions.builder(left).noWait().build(), left,
						PULL_GRACE_NANOS);
			}
		}

		@Override
		public void pullAndWait(int consumer, int max, Duration wait) throws InterruptedException {
			int left = Math.min(max, this.slots - this.taken);
			this.wait = wait;
			this.started = System.nanoTime();
			if (left > 0) {
				take(this, this.subscriptions[consumer], PullRequestOptions.builder(left).expiresIn(wait).build(), left,
						wait.toNanos() + PULL_GRACE_NANOS);
			}
		}

	}

	/** A message handed to the pool; it gives its slot back once settled. */
	private final class HandlerTask implements Runnable {

		final JetStreamMessage message;

		private final Run run;

		HandlerTask(Run run, JetStreamMessage message) {
			this.run = run;
			this.message = message;
		}

		@Override
		public void run() {
			process(this.run, this.message);
		}

	}

}
