package io.natsboot.listener;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsConversionException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsOperations;
import io.natsboot.core.NatsDispatchers;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsThreads;
import io.natsboot.core.NatsTimeouts;
import io.natsboot.listener.adapter.ListenerFailures;
import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import io.natsboot.listener.adapter.NatsListenerExecutionFailedException;
import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.listener.adapter.NatsReplySender;
import io.natsboot.observation.DefaultNatsListenerObservationConvention;
import io.natsboot.observation.NatsListenerObservation;
import io.natsboot.observation.NatsListenerObservationConvention;
import io.natsboot.observation.NatsProcessContext;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * Runs one core NATS listener: one NATS subscription on its own dispatcher, the listener
 * called on that dispatcher's thread (concurrency 1, messages in order) or on a pool of
 * {@code concurrency} threads. It subscribes once the connection is up (again after a
 * start that came before the first connect; jnats itself restores the subscription after
 * reconnects), replies with return values, hands failures to the error handler, and
 * drains on stop. With a timeout it stops itself once it has been subscribed that long.
 * Not a bean: the {@link io.natsboot.config.NatsListenerEndpointRegistry} owns it.
 */
public class SubscriptionListenerContainer implements NatsListenerContainer {

	private static final LogAccessor logger = new LogAccessor(SubscriptionListenerContainer.class);

	private final String id;

	private final Connection connection;

	private final NatsSubjectResolver subjects;

	private final String fullSubject;

	private final @Nullable String queue;

	private final int concurrency;

	private final int maxMessages;

	private final boolean autoStartup;

	private final @Nullable Duration timeout;

	/**
	 * Ends the current run once the timeout has passed; null before the subscribe, after
	 * a stop and without a timeout.
	 */
	private @Nullable ScheduledFuture<?> timeoutTimer;

	/** Counts starts, so that a timer of an earlier run never stops a later one. */
	private long runs;

	private volatile boolean stoppedByTimeout;

	private final NatsListenerInvoker invoker;

	private final @Nullable NatsListenerErrorHandler errorHandler;

	private final NatsMessageConverter converter;

	private final NatsReplySender replySender;

	private final NatsListenerMetrics metrics;

	private final ObservationSettings<NatsListenerObservationConvention> observations;

	private final Duration drainTimeout;

	private final ConnectionListener subscribeOnConnect = this::onConnectionEvent;

	private final @Nullable NatsConnectionReadiness readiness;

	private final Runnable subscribeWhenReady = this::subscribeIfRunning;

	private volatile boolean running;

	private @Nullable Dispatcher dispatcher;

	private volatile @Nullable ExecutorService workers;

	private final NatsExceptionTranslator translator;

	/**
	 * Why the latest subscribe failed (the server refused it), until a subscribe
	 * succeeds.
	 */
	private volatile @Nullable String problem;

	private volatile @Nullable Semaphore slots;

	/**
	 * Creates a container; {@link io.natsboot.config.NatsListenerContainerFactory} does,
	 * for core NATS endpoints.
	 * @param settings what the container is made of
	 */
	public SubscriptionListenerContainer(Settings settings) {
		this.id = settings.id;
		this.connection = settings.connection;
		this.subjects = settings.subjects;
		this.fullSubject = settings.subjects.forSubscribe(settings.subject);
		this.queue = settings.queue;
		this.concurrency = settings.concurrency;
		this.maxMessages = settings.maxMessages;
		this.autoStartup = settings.autoStartup;
		this.timeout = settings.timeout;
		this.invoker = settings.invoker;
		this.errorHandler = settings.errorHandler;
		this.converter = settings.converter;
		this.replySender = new NatsReplySender(this.id, settings.converter, settings.replies);
		this.metrics = settings.metrics;
		this.observations = settings.observations;
		this.drainTimeout = settings.drainTimeout;
		this.readiness = settings.readiness;
		this.translator = settings.translator;
	}

	/**
	 * Why the container holds no subscription although it runs, e.g. the server refused
	 * the subscription (a {@link io.natsboot.core.NatsPermissionException}); health
	 * reports it.
	 * @return the problem, or null while subscribed or still waiting for the first
	 * connect
	 */
	public @Nullable String getProblem() {
		return this.problem;
	}

	/**
	 * How long the container listens, once subscribed, before it stops itself.
	 * @return the timeout, or null to listen until stopped
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Whether the container stopped itself because its timeout passed; a start clears it.
	 * @return true while stopped by its timeout
	 */
	@Override
	public boolean isStoppedByTimeout() {
		return this.stoppedByTimeout;
	}

	/**
	 * The container's id.
	 * @return the id
	 */
	@Override
	public String getId() {
		return this.id;
	}

	/**
	 * The subject as subscribed, with the namespace.
	 * @return the subject
	 */
	@Override
	public String getSubject() {
		return this.fullSubject;
	}

	/**
	 * The queue group.
	 * @return the group, or null
	 */
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * How many threads run the listener.
	 * @return the concurrency
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Whether the registry starts this container with the application.
	 * @return the choice
	 */
	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Whether the container is started (it may still wait for the first connect).
	 * @return true between start and stop
	 */
	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether the container holds a subscription now.
	 * @return true once subscribed
	 */
	@Override
	public synchronized boolean isSubscribed() {
		return this.dispatcher != null;
	}

	/**
	 * Starts: subscribes now when connected, else as soon as the connection is
	 * established.
	 */
	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.runs++;
		this.stoppedByTimeout = false;
		if (this.readiness != null) {
			// after the connection's setup callbacks (streams, buckets) have run
			this.readiness.whenReady(this.subscribeWhenReady);
			return;
		}
		this.connection.addConnectionListener(this.subscribeOnConnect);
		if (this.connection.getStatus() == Connection.Status.CONNECTED) {
			subscribe();
		}
	}

	/**
	 * Stops: drains the subscription (messages already received are still handled) within
	 * the drain timeout, then waits for running handlers.
	 */
	@Override
	public void stop() {
		stop(null);
	}

	/**
	 * Stops, or, given the run a timeout belongs to, stops that run only.
	 */
	private void stop(@Nullable Long timedOutRun) {
		Dispatcher current;
		ExecutorService pool;
		synchronized (this) {
			if (!this.running || (timedOutRun != null && timedOutRun != this.runs)) {
				return;
			}
			if (timedOutRun != null) {
				this.stoppedByTimeout = true;
				logger.info(() -> "Listener '" + this.id + "' stops itself: its timeout of " + this.timeout
						+ " has passed");
			}
			this.running = false;
			this.connection.removeConnectionListener(this.subscribeOnConnect);
			if (this.readiness != null) {
				this.readiness.removeReadyAction(this.subscribeWhenReady);
			}
			current = this.dispatcher;
			pool = this.workers;
			this.dispatcher = null;
			this.workers = null;
			if (this.timeoutTimer != null) {
				this.timeoutTimer.cancel(false);
				this.timeoutTimer = null;
			}
		}
		if (current != null) {
			drain(current);
		}
		if (pool != null) {
			pool.shutdown();
			try {
				if (!pool.awaitTermination(this.drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
					logger
						.warn(() -> "Listener '" + this.id + "' still had running handlers after " + this.drainTimeout);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void drain(Dispatcher current) {
		try {
			NatsDispatchers.drain(this.connection, current, this.drainTimeout)
				.get(this.drainTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn(ex,
					() -> "Listener '" + this.id + "' could not drain its subscription to '" + this.fullSubject + "'");
		}
	}

	private void onConnectionEvent(Connection connection, ConnectionListener.Events event) {
		if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED) {
			subscribeIfRunning();
		}
	}

	private synchronized void subscribeIfRunning() {
		if (this.running && this.dispatcher == null) {
			subscribe();
		}
	}

	private synchronized void subscribe() {
		if (this.dispatcher != null) {
			// jnats restores existing subscriptions after a reconnect: never subscribe
			// twice
			return;
		}
		if (this.concurrency > 1) {
			// ready before the first message can arrive
			this.workers = Executors.newFixedThreadPool(this.concurrency,
					NatsThreads.daemon("nats-listener-" + this.id));
			this.slots = new Semaphore(this.concurrency);
		}
		Dispatcher created = null;
		try {
			long since = this.translator.mark();
			created = this.connection.createDispatcher();
			Subscription subscription = (this.queue != null)
					? created.subscribe(this.fullSubject, this.queue, this::onMessage)
					: created.subscribe(this.fullSubject, this::onMessage);
			if (this.maxMessages > 0) {
				created.unsubscribe(subscription, this.maxMessages);
			}
			// a refused subscription would otherwise look subscribed and receive nothing
			this.translator.checkSubscribed(this.connection, this.fullSubject, since, this.drainTimeout);
		}
		catch (RuntimeException ex) {
			if (created != null) {
				NatsDispatchers.closeQuietly(this.connection, created);
			}
			ExecutorService pool = this.workers;
			if (pool != null) {
				pool.shutdown();
			}
			this.workers = null;
			this.slots = null;
			this.problem = ex.getMessage();
			logger.error(ex, () -> "Listener '" + this.id + "' could not subscribe to '" + this.fullSubject
					+ "'; it tries again at the next connect");
			return;
		}
		this.dispatcher = created;
		this.problem = null;
		if (this.timeout != null && this.timeoutTimer == null) {
			// counted from the first subscribe of this run; reconnects keep the
			// subscription
			long run = this.runs;
			this.timeoutTimer = NatsTimeouts.after(this.timeout, "nats-stop-" + this.id, () -> stop(run));
		}
		logger.debug(() -> "Listener '" + this.id + "' subscribed to '" + this.fullSubject + "'"
				+ ((this.queue != null) ? " in queue group '" + this.queue + "'" : ""));
	}

	private void onMessage(Message message) throws InterruptedException {
		ExecutorService pool = this.workers;
		Semaphore free = this.slots;
		if (pool == null || free == null) {
			process(message);
			return;
		}
		// Wait for a free thread here, so messages queue in the subscription, not in
		// memory.
		free.acquire();
		try {
			pool.execute(() -> {
				try {
					process(message);
				}
				finally {
					free.release();
				}
			});
		}
		catch (RuntimeException ex) {
			free.release();
			process(message);
		}
	}

	private void process(Message raw) {
		ObservationSettings<NatsListenerObservationConvention> observed = this.observations;
		Observation observation = Observation.NOOP;
		if (observed.isOn()) {
			NatsProcessContext context = NatsProcessContext.core(this.id, this.fullSubject, this.queue, raw);
			observation = NatsListenerObservation.PROCESS.start(observed.convention(),
					DefaultNatsListenerObservationConvention.INSTANCE, () -> context, observed.registry());
		}
		NatsMessage message = NatsMessage.received(raw, this.subjects, this.converter);
		CompletableFuture<?> pending = null;
		try {
			// in scope, the handler's logs carry the trace and its reply continues it
			try (Observation.Scope scope = observation.openScope()) {
				pending = invoke(message, observation);
			}
		}
		finally {
			if (pending == null) {
				observation.stop();
			}
		}
		if (pending != null) {
			replyWhenDone(message, pending, observation);
		}
	}

	/**
	 * Runs the listener and sends its reply.
	 * @return null when that is done, or the future the listener returned, whose
	 * completion sends the reply
	 */
	private @Nullable CompletableFuture<?> invoke(NatsMessage message, Observation observation) {
		long start = System.nanoTime();
		Object result;
		try {
			result = this.invoker.invoke(message);
		}
		catch (Throwable ex) {
			this.metrics.listenerInvoked(this.id, message.originalSubject(), System.nanoTime() - start, false);
			handleFailure(message, ex, observation);
			return null;
		}
		this.metrics.listenerInvoked(this.id, message.originalSubject(), System.nanoTime() - start, true);
		if (result instanceof CompletableFuture<?> future) {
			return future;
		}
		this.replySender.reply(message, result);
		return null;
	}

	/**
	 * Sends the reply once the listener's future completes (on the thread that completes
	 * it, or this one when it is done already, after the listener's scope closed), then
	 * stops the observation.
	 */
	private void replyWhenDone(NatsMessage message, CompletableFuture<?> future, Observation observation) {
		future.whenComplete((value, failure) -> {
			try {
				try (Observation.Scope scope = observation.openScope()) {
					if (failure != null) {
						handleFailure(message, (failure.getCause() != null) ? failure.getCause() : failure,
								observation);
					}
					else {
						this.replySender.reply(message, value);
					}
				}
			}
			finally {
				observation.stop();
			}
		});
	}

	private void handleFailure(NatsMessage message, Throwable ex, Observation observation) {
		Throwable cause = (ex instanceof java.lang.reflect.UndeclaredThrowableException && ex.getCause() != null)
				? ex.getCause() : ex;
		observation.error(cause);
		Exception failure = new NatsListenerExecutionFailedException(this.id, message.subject(), cause);
		if (this.errorHandler != null) {
			try {
				this.replySender.reply(message, this.errorHandler.handleError(message, failure));
				return;
			}
			catch (Exception handlerFailure) {
				failure = handlerFailure;
			}
		}
		Exception logged = failure;
		if (ListenerFailures.isConversionFailure(logged)) {
			// the message is at fault, not the code: one line says all, the stack trace
			// (natsboot's frames only) is there for DEBUG
			logger.error(() -> "Listener '" + this.id + "' cannot read a message from '" + message.subject() + "': "
					+ ListenerFailures.describeConversionFailure(logged) + "; the subscription goes on");
			logger.debug(logged, () -> "Listener '" + this.id + "': the conversion failure");
		}
		else {
			logger.error(logged, () -> "Listener '" + this.id + "' failed on a message from '" + message.subject()
					+ "': " + NatsFailures.rootMessage(logged) + "; the subscription goes on");
		}
		this.replySender.replyWithFailure(message, logged);
	}

	@Override
	public String toString() {
		return "SubscriptionListenerContainer[" + this.id + " on " + this.fullSubject
				+ ((this.queue != null) ? " queue " + this.queue : "") + "]";
	}

	/**
	 * What a container is made of; filled by
	 * {@link io.natsboot.config.NatsListenerContainerFactory}.
	 */
	public static final class Settings {

		/** The listener's id. */
		public String id = "";

		/** The connection to subscribe on. */
		public Connection connection;

		/** Applies the namespace, or none. */
		public NatsSubjectResolver subjects;

		/** The subject, without namespace. */
		public String subject = "";

		/** The queue group, or null. */
		public @Nullable String queue;

		/** Messages handled at once. */
		public int concurrency = 1;

		/** Unsubscribe after this many messages, 0 for unlimited. */
		public int maxMessages;

		/**
		 * How long the container listens, once subscribed, before it stops itself; null
		 * for as long as it runs.
		 */
		public @Nullable Duration timeout;

		/** Whether the registry starts the container with the application. */
		public boolean autoStartup = true;

		/** Calls the listener. */
		public NatsListenerInvoker invoker;

		/** Handles failures, or null for the default handling. */
		public @Nullable NatsListenerErrorHandler errorHandler;

		/** Writes replies. */
		public NatsMessageConverter converter;

		/** Sends replies, without namespace. */
		public NatsOperations replies;

		/** Where listener metrics go. */
		public NatsListenerMetrics metrics = NatsListenerMetrics.NONE;

		/** How each message's processing is observed. */
		public ObservationSettings<NatsListenerObservationConvention> observations = ObservationSettings.off();

		/** How long a stopping container may drain. */
		public Duration drainTimeout = Duration.ofSeconds(10);

		/** What the container waits for before it subscribes, or null. */
		public @Nullable NatsConnectionReadiness readiness;

		/** Explains failed subscriptions. */
		public NatsExceptionTranslator translator = new NatsExceptionTranslator();

		/**
		 * Creates settings with what every container needs.
		 * @param connection the connection to subscribe on
		 * @param subjects applies the namespace, or none
		 * @param invoker calls the listener
		 * @param converter writes replies
		 * @param replies sends replies, without namespace
		 */
		public Settings(Connection connection, NatsSubjectResolver subjects, NatsListenerInvoker invoker,
				NatsMessageConverter converter, NatsOperations replies) {
			this.connection = connection;
			this.subjects = subjects;
			this.invoker = invoker;
			this.converter = converter;
			this.replies = replies;
		}

	}

}
