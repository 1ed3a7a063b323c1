package io.natsboot.jetstream;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import io.nats.client.support.JsonValueUtils;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsMetricsRecorder;
import io.natsboot.core.NatsSubjectResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.backoff.BackOffExecution;

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
 * than half the ack wait get {@code inProgress} heartbeats.</li>
 * <li>A failure is retried with {@code nakWithDelay} and the retry back-off until the consumer's
 * max deliveries, a non-retryable failure or a stopping back-off; then the
 * {@link DeadLetterPublishingRecoverer} stores it and the original is terminated. A message whose
 * handler never returns (it killed its worker each time) is caught by the server's
 * {@code MAX_DELIVERIES} advisory and dead-lettered from there.</li>
 * <li>Stopping stops pulling, lets running handlers finish within the drain timeout and naks what
 * is still running then, so other workers get it at once.</li>
 * </ul>
 * {@link #status()} reports a stalled worker (consumer cannot be set up or read, pull loop stuck)
 * as unhealthy.
 */
public class JetStreamPullWorker {

	/** The prefix of the advisory the server sends when a message reached its max deliveries. */
	public static final String MAX_DELIVERIES_ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.";

	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	private static final int CONSUMER_NOT_FOUND = 10014;

	private static final int STREAM_NOT_FOUND = 10059;

	private static final int MESSAGE_NOT_FOUND = 10037;

	private final PullWorkerSettings settings;

	private final Connection connection;

	private final JetStreamOptions options;

	private final NatsSubjectResolver subjects;

	private final NatsMessageConverter converter;

	private final JetStreamMessageHandler handler;

	private final DeadLetterPublishingRecoverer recoverer;

	private final NatsMetricsRecorder metrics;

	private final @Nullable NatsConnectionReadiness readiness;

	private final Runnable onReady = this::onConnectionReady;

	/** Messages being handled, with when they were delivered or last reported in progress. */
	private final Map<JetStreamMessage, Long> inFlight = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private volatile boolean running;

	private volatile @Nullable Thread loop;

	private volatile @Nullable ExecutorService handlers;

	private volatile @Nullable ScheduledExecutorService heartbeats;

	private volatile Semaphore slots = new Semaphore(0);

	private volatile @Nullable ConsumerContext consumerContext;

	private volatile boolean provisionNeeded = true;

	private volatile boolean workQueue;

	private volatile @Nullable Dispatcher advisories;

	private volatile PullWorkerStatus.State state = PullWorkerStatus.State.STOPPED;

	private volatile @Nullable String problem;

	private volatile @Nullable Instant lastPullAt;

	private volatile long pullStartedNanos;

	private volatile long nextStatusNanos;

	private volatile @Nullable ConsumerInfo lastInfo;

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
			DeadLetterPublishingRecoverer recoverer, NatsMetricsRecorder metrics,
			@Nullable NatsConnectionReadiness readiness) {
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.subjects = subjects;
		this.converter = converter;
		this.handler = handler;
		this.recoverer = recoverer;
		this.metrics = metrics;
		this.readiness = readiness;
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
		return this.running;
	}

	/**
	 * Whether the worker has its consumer and pulls from it.
	 * @return true while consuming
	 */
	public boolean isConsuming() {
		return this.running && this.consumerContext != null && !this.provisionNeeded
				&& this.state == PullWorkerStatus.State.CONSUMING;
	}

	/**
	 * Starts pulling. With {@code nats.startup=fail} and a ready connection, the consumer is set up
	 * at once and a failure (e.g. a missing stream) is thrown; otherwise setup happens in the
	 * background and failures are retried (and reported by {@link #status()}).
	 * @throws NatsJetStreamException when the consumer cannot be set up at a fail-fast start
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.provisionNeeded = true;
		this.consecutiveFailures.set(0);
		this.problem = null;
		this.slots = new Semaphore(this.settings.concurrency());
		if (this.settings.concurrency() > 1) {
			this.handlers = Executors.newFixedThreadPool(this.settings.concurrency(),
					threads("nats-worker-" + this.settings.id()));
		}
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(threads("nats-heartbeat-" + this.settings.id()));
		long period = Math.max(50, this.settings.ackWait().toMillis() / 4);
		scheduler.scheduleAtFixedRate(this::sendHeartbeats, period, period, TimeUnit.MILLISECONDS);
		this.heartbeats = scheduler;
		if (this.readiness != null) {
			this.readiness.whenReady(this.onReady);
			if (this.readiness.isFailFast() && this.readiness.isReady()) {
				try {
					provision();
				}
				catch (Exception ex) {
					stop();
					throw (ex instanceof NatsJetStreamException failure) ? failure : new NatsJetStreamException(
							"Worker '" + this.settings.id() + "' cannot set up its consumer: " + ex.getMessage(), 0, ex);
				}
			}
		}
		Thread thread = threads("nats-pull-" + this.settings.id()).newThread(this::run);
		this.loop = thread;
		thread.start();
	}

	/**
	 * Stops: no more pulls; running handlers may finish within the drain timeout, and messages
	 * still running after it are released (nak) to other workers.
	 */
	public void stop() {
		Thread thread;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			if (this.readiness != null) {
				this.readiness.removeReadyAction(this.onReady);
			}
			thread = this.loop;
			this.loop = null;
		}
		wake();
		long deadline = System.nanoTime() + this.settings.drainTimeout().toNanos();
		try {
			if (thread != null && thread != Thread.currentThread()) {
				thread.join(Math.max(1, remainingMillis(deadline)));
			}
			ExecutorService pool = this.handlers;
			if (pool != null) {
				pool.shutdown();
				pool.awaitTermination(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		releaseInFlight();
		ExecutorService pool = this.handlers;
		if (pool != null) {
			pool.shutdownNow();
		}
		if (thread != null && thread.isAlive()) {
			thread.interrupt();
		}
		ScheduledExecutorService scheduler = this.heartbeats;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		closeAdvisories();
		this.handlers = null;
		this.heartbeats = null;
		this.consumerContext = null;
		this.state = PullWorkerStatus.State.STOPPED;
	}

	/**
	 * What the worker is doing, and whether it is healthy.
	 * @return the status
	 */
	public PullWorkerStatus status() {
		boolean healthy = true;
		String why = this.problem;
		PullWorkerStatus.State current = this.state;
		if (this.running) {
			Thread thread = this.loop;
			long pullStarted = this.pullStartedNanos;
			long stuckAfter = this.settings.maxWait().toNanos() * 2 + TimeUnit.SECONDS.toNanos(10);
			if (thread == null || !thread.isAlive()) {
				healthy = false;
				why = "its pull loop is not running";
			}
			else if (current == PullWorkerStatus.State.FAILING) {
				healthy = false;
			}
			else if (pullStarted != 0 && System.nanoTime() - pullStarted > stuckAfter) {
				healthy = false;
				why = "a pull has not finished for " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - pullStarted)
						+ " s";
			}
		}
		ConsumerInfo info = this.lastInfo;
		return new PullWorkerStatus(this.settings.id(), this.settings.stream(), this.settings.consumerName(), current,
				healthy, healthy ? null : why, this.lastPullAt, (info != null) ? info.getNumPending() : 0,
				(info != null) ? info.getNumAckPending() : 0, (info != null) ? info.getRedelivered() : 0,
				this.handled.get(), this.failed.get(), this.deadLettered.get());
	}

	private void onConnectionReady() {
		this.provisionNeeded = true;
		wake();
	}

	private void run() {
		while (this.running) {
			try {
				if (!isReady()) {
					this.state = PullWorkerStatus.State.WAITING_FOR_CONNECTION;
					pause(200);
					continue;
				}
				if (this.provisionNeeded || this.consumerContext == null) {
					this.state = PullWorkerStatus.State.PROVISIONING;
					provision();
				}
				refreshStatusWhenDue();
				ConsumerContext context = this.consumerContext;
				if (context == null || this.provisionNeeded) {
					continue;
				}
				int granted = acquireSlots();
				if (granted > 0) {
					pull(context, granted);
					succeeded();
				}
			}
			catch (InterruptedException ex) {
				if (this.running) {
					logger.debug(() -> "Worker '" + this.settings.id() + "' was interrupted; it goes on");
				}
			}
			catch (Throwable ex) {
				attemptFailed(ex);
			}
		}
	}

	private boolean isReady() {
		return (this.readiness != null) ? this.readiness.isReady()
				: this.connection.getStatus() == Connection.Status.CONNECTED;
	}

	private void provision() throws IOException, JetStreamApiException {
		String stream = this.settings.stream();
		JetStreamManagement management = this.connection.jetStreamManagement(this.options);
		StreamInfo info;
		try {
			info = management.getStreamInfo(stream);
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == STREAM_NOT_FOUND) {
				throw new NatsJetStreamException("Worker '" + this.settings.id() + "': stream '" + stream
						+ "' does not exist; create it, or declare a NatsStreamDefinition bean for it", STREAM_NOT_FOUND, ex);
			}
			throw ex;
		}
		this.workQueue = info.getConfiguration().getRetentionPolicy() == RetentionPolicy.WorkQueue;
		StreamConfiguration deadLetterStream = this.settings.deadLetterStream();
		if (deadLetterStream != null) {
			createIfMissing(management, deadLetterStream);
		}
		try {
			management.addOrUpdateConsumer(stream, this.settings.consumer());
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException("Worker '" + this.settings.id() + "' cannot create or update consumer '"
					+ this.settings.consumerName() + "' of stream '" + stream + "': " + ex.getErrorDescription() + " (code "
					+ ex.getApiErrorCode() + "); a change the server refuses needs a new durable name or a deleted consumer",
					ex.getApiErrorCode(), ex);
		}
		this.consumerContext = this.connection.getConsumerContext(stream, this.settings.consumerName(), this.options);
		subscribeAdvisories();
		this.provisionNeeded = false;
		this.nextStatusNanos = 0;
		logger.debug(() -> "Worker '" + this.settings.id() + "' consumes stream '" + stream + "' through consumer '"
				+ this.settings.consumerName() + "'");
	}

	private void createIfMissing(JetStreamManagement management, StreamConfiguration configuration)
			throws IOException, JetStreamApiException {
		try {
			management.getStreamInfo(configuration.getName());
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() != STREAM_NOT_FOUND) {
				throw ex;
			}
			try {
				management.addStream(configuration);
			}
			catch (JetStreamApiException createFailure) {
				throw new NatsJetStreamException("Worker '" + this.settings.id() + "' cannot create dead-letter stream '"
						+ configuration.getName() + "' for " + configuration.getSubjects() + ": "
						+ createFailure.getErrorDescription() + " (code " + createFailure.getApiErrorCode() + ")",
						createFailure.getApiErrorCode(), createFailure);
			}
		}
	}

	private void subscribeAdvisories() {
		if (this.advisories != null || this.settings.deadLetterSubject() == null) {
			return;
		}
		Dispatcher dispatcher = this.connection.createDispatcher(this::onMaxDeliveries);
		dispatcher.subscribe(MAX_DELIVERIES_ADVISORY + this.settings.stream() + "." + this.settings.consumerName());
		this.advisories = dispatcher;
	}

	private void closeAdvisories() {
		Dispatcher dispatcher = this.advisories;
		this.advisories = null;
		if (dispatcher != null) {
			try {
				this.connection.closeDispatcher(dispatcher);
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Could not close the advisory subscription");
			}
		}
	}

	private void refreshStatusWhenDue() {
		ConsumerContext context = this.consumerContext;
		long now = System.nanoTime();
		if (context == null || now < this.nextStatusNanos) {
			return;
		}
		this.nextStatusNanos = now + this.settings.statusInterval().toNanos();
		try {
			this.lastInfo = context.getConsumerInfo();
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == CONSUMER_NOT_FOUND || ex.getApiErrorCode() == STREAM_NOT_FOUND) {
				logger.warn(() -> "Worker '" + this.settings.id() + "': consumer '" + this.settings.consumerName()
						+ "' of stream '" + this.settings.stream() + "' is gone (" + ex.getErrorDescription()
						+ "); setting it up again");
				this.provisionNeeded = true;
			}
			else {
				logger.debug(ex, () -> "Worker '" + this.settings.id() + "' could not read its consumer's status");
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug(ex, () -> "Worker '" + this.settings.id() + "' could not read its consumer's status");
		}
	}

	private int acquireSlots() throws InterruptedException {
		Semaphore free = this.slots;
		if (!free.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		int wanted = Math.min(this.settings.batchSize(), this.settings.concurrency());
		int granted = 1;
		while (granted < wanted && free.tryAcquire()) {
			granted++;
		}
		return granted;
	}

	private void pull(ConsumerContext context, int granted) throws Exception {
		FetchConsumeOptions fetchOptions = FetchConsumeOptions.builder()
			.maxMessages(granted)
			.expiresIn(this.settings.maxWait().toMillis())
			.build();
		int used = 0;
		long started = System.nanoTime();
		this.pullStartedNanos = started;
		try (FetchConsumer fetch = context.fetch(fetchOptions)) {
			Message raw = fetch.nextMessage();
			while (raw != null) {
				used++;
				dispatch(raw);
				raw = fetch.nextMessage();
			}
		}
		finally {
			this.pullStartedNanos = 0;
			this.slots.release(granted - used);
			this.lastPullAt = Instant.now();
		}
		if (used == 0 && System.nanoTime() - started < this.settings.maxWait().toNanos() / 2) {
			// the server ended the pull early without messages: the consumer may be gone
			this.nextStatusNanos = 0;
			pause(100);
		}
	}

	private void dispatch(Message raw) {
		ExecutorService pool = this.handlers;
		if (pool == null) {
			try {
				process(raw);
			}
			finally {
				this.slots.release();
			}
			return;
		}
		try {
			pool.execute(() -> {
				try {
					process(raw);
				}
				finally {
					this.slots.release();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			raw.nak(); // stopping: another worker takes it at once
			this.slots.release();
		}
	}

	private void process(Message raw) {
		JetStreamMessage message = new JetStreamMessage(NatsMessage.received(raw, this.subjects, this.converter), raw);
		this.inFlight.put(message, System.nanoTime());
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
			onFailure(message, unwrap(ex));
		}
		finally {
			this.inFlight.remove(message);
		}
	}

	private void onFailure(JetStreamMessage message, Throwable failure) {
		if (message.isAcknowledged()) {
			logger.error(failure, () -> "Worker '" + this.settings.id() + "': handler failed on " + message
					+ " after acknowledging it");
			return;
		}
		long attempts = message.deliveredCount();
		long maxDeliver = this.settings.maxDeliver();
		String reason = null;
		long delay = BackOffExecution.STOP;
		if (this.settings.nonRetryable().test(failure)) {
			reason = "it cannot succeed on a retry";
		}
		else if (maxDeliver > 0 && attempts >= maxDeliver) {
			reason = "it failed " + attempts + " of at most " + maxDeliver + " deliveries";
		}
		else {
			delay = DelaySequenceBackOff.delayAfter(this.settings.retryBackOff(), attempts);
			if (delay == BackOffExecution.STOP) {
				reason = "the retry back-off gave up after " + attempts + " attempts";
			}
		}
		if (reason == null) {
			Duration wait = Duration.ofMillis(delay);
			logger.warn(() -> "Worker '" + this.settings.id() + "': " + message + " failed (attempt " + attempts
					+ ((maxDeliver > 0) ? " of " + maxDeliver : "") + "): " + rootMessage(failure) + "; retrying in "
					+ wait);
			logger.debug(failure, "Failure");
			message.nakWithDelay(wait);
			return;
		}
		deadLetter(message, failure, reason);
	}

	private void deadLetter(JetStreamMessage message, Throwable failure, String reason) {
		String subject = this.settings.deadLetterSubject();
		if (subject == null) {
			message.term();
			logger.error(failure, () -> "Worker '" + this.settings.id() + "': " + message + " dropped because " + reason
					+ " and no dead-letter subject is set");
			return;
		}
		try {
			this.recoverer.recover(DeadLetter.of(message, failure), subject);
		}
		catch (RuntimeException publishFailure) {
			logger.error(publishFailure, () -> "Worker '" + this.settings.id() + "': " + message
					+ " could not be dead-lettered; it stays in the stream and is delivered again");
			message.nakWithDelay(Duration.ofSeconds(5));
			return;
		}
		message.term();
		this.deadLettered.incrementAndGet();
		this.metrics.deadLettered(this.settings.id());
		logger.error(failure, () -> "Worker '" + this.settings.id() + "': " + message + " moved to dead letters on '"
				+ subject + "' because " + reason + ": " + rootMessage(failure));
	}

	private void onMaxDeliveries(Message advisory) {
		String subject = this.settings.deadLetterSubject();
		if (subject == null) {
			return;
		}
		try {
			JsonValue json = JsonParser.parse(advisory.getData());
			long sequence = JsonValueUtils.readLong(json, "stream_seq", 0);
			long deliveries = JsonValueUtils.readLong(json, "deliveries", 0);
			JetStreamManagement management = this.connection.jetStreamManagement(this.options);
			MessageInfo stored;
			try {
				stored = management.getMessage(this.settings.stream(), sequence);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() == MESSAGE_NOT_FOUND) {
					return; // acknowledged or removed meanwhile
				}
				throw ex;
			}
			this.recoverer.recover(new DeadLetter(stored.getSubject(), stored.getData(), stored.getHeaders(),
					this.settings.stream(), sequence, this.settings.consumerName(), deliveries, stored.getTime(),
					"io.natsboot.jetstream.MaxDeliveriesExceeded",
					"delivered " + deliveries + " times without an acknowledgement: its handler never returned (the worker died or hung)"),
					subject);
			if (this.workQueue) {
				// a work-queue stream would keep it forever: no consumer delivers it again
				management.deleteMessage(this.settings.stream(), sequence);
			}
			this.deadLettered.incrementAndGet();
			this.metrics.deadLettered(this.settings.id());
			logger.error(() -> "Worker '" + this.settings.id() + "': message " + sequence + " of stream '"
					+ this.settings.stream() + "' was delivered " + deliveries
					+ " times without an acknowledgement; moved to dead letters on '" + subject + "'");
		}
		catch (Exception ex) {
			logger.error(ex, () -> "Worker '" + this.settings.id()
					+ "' could not dead-letter a message that reached its max deliveries");
		}
	}

	private void sendHeartbeats() {
		long now = System.nanoTime();
		long threshold = this.settings.ackWait().toNanos() / 2;
		this.inFlight.forEach((message, touched) -> {
			if (now - touched >= threshold && !message.isAcknowledged()) {
				try {
					message.inProgress();
					this.inFlight.replace(message, touched, now);
				}
				catch (RuntimeException ex) {
					logger.debug(ex, () -> "Could not report " + message + " in progress");
				}
			}
		});
	}

	private void releaseInFlight() {
		int released = 0;
		for (JetStreamMessage message : this.inFlight.keySet()) {
			if (!message.isAcknowledged()) {
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

	private void attemptFailed(Throwable ex) {
		int failures = this.consecutiveFailures.incrementAndGet();
		this.state = PullWorkerStatus.State.FAILING;
		// natsboot's own exceptions say what failed and what to do; others are described by their cause
		this.problem = (ex instanceof NatsException) ? ex.getMessage() : rootMessage(ex);
		if (ex instanceof JetStreamApiException api
				&& (api.getApiErrorCode() == CONSUMER_NOT_FOUND || api.getApiErrorCode() == STREAM_NOT_FOUND)) {
			this.provisionNeeded = true;
		}
		if (!(ex instanceof NatsJetStreamException)) {
			this.provisionNeeded = true; // an unexpected failure: set the consumer up again to be safe
		}
		if (failures == 1) {
			logger.error(ex, () -> "Worker '" + this.settings.id() + "' failed: " + this.problem + "; retrying");
		}
		else {
			logger.debug(ex, () -> "Worker '" + this.settings.id() + "' failed again: " + this.problem);
		}
		try {
			pause(Math.min(5000, 250L << Math.min(failures - 1, 5)));
		}
		catch (InterruptedException interrupted) {
			// stopping
		}
	}

	private void pause(long millis) throws InterruptedException {
		synchronized (this.wakeUp) {
			if (this.running) {
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

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static String rootMessage(Throwable failure) {
		return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
	}

	private static ThreadFactory threads(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	@Override
	public String toString() {
		return "JetStreamPullWorker[" + this.settings.id() + " on " + this.settings.stream() + "/"
				+ this.settings.consumerName() + "]";
	}

}
