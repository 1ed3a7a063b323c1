package io.natsboot.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.observation.Observation;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.jetstream.DeadLetter;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.DeferredCompletionHandler;
import io.natsboot.jetstream.ReleaseListener;
import io.natsboot.listener.adapter.ListenerFailures;
import io.natsboot.observation.DefaultTaskRunObservationConvention;
import io.natsboot.observation.ObservationSettings;
import io.natsboot.observation.TaskObservation;
import io.natsboot.observation.TaskRunContext;
import io.natsboot.observation.TaskRunObservationConvention;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Runs the tasks of one queue: for each delivered task message it waits out a
 * {@code Task-Not-Before} in the broker ({@code nakWithDelay}, no attempt used), finds
 * the handler of its type and runs it as the task's {@link TaskTracking} level says. With
 * {@code full} it first counts the attempt in the status bucket (one compare-and-set, on
 * the revision the task carries when this is its first delivery) and runs the handler
 * only while attempts remain; with {@code results} and {@code none} the attempt is the
 * delivery. On success the {@link TaskCompleter} stores the result and the end while this
 * thread takes the next task (the worker keeps the message in hand until then); on
 * failure it either schedules the next attempt ({@code nakWithDelay} with the back-off)
 * or moves the task to dead letters. Never throws for a task's own failure.
 */
final class TaskDispatcher implements DeferredCompletionHandler, ReleaseListener {

	private static final LogAccessor logger = new LogAccessor(TaskDispatcher.class);

	/**
	 * The exception class recorded for tasks that ran out of attempts without finishing.
	 */
	static final String ATTEMPTS_EXHAUSTED = "io.natsboot.task.AttemptsExhausted";

	/** The exception class recorded for tasks of a type no handler knows. */
	static final String UNKNOWN_TYPE = "io.natsboot.task.UnknownTaskType";

	private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(5);

	/** What a run that needs nothing more returns: its message is settled. */
	private static final CompletableFuture<Boolean> SETTLED = CompletableFuture.completedFuture(true);

	private final String queue;

	private final Map<String, TaskHandlerEndpoint> endpoints;

	private final TaskStore store;

	private final NatsMessageConverter converter;

	private final DeadLetterPublishingRecoverer recoverer;

	private final String deadLetterSubject;

	private final TaskMetrics metrics;

	private final ObservationSettings<TaskRunObservationConvention> observations;

	private final ScheduledExecutorService timeouts;

	private final TaskTracking tracking;

	private final TaskCompleter completer;

	private final AtomicLong succeeded = new AtomicLong();

	/**
	 * The status each running task was started with, for giving the attempt back on
	 * release.
	 */
	private final Map<JetStreamMessage, TaskStore.Versioned> running = new ConcurrentHashMap<>();

	private final AtomicLong failed = new AtomicLong();

	TaskDispatcher(String queue, Map<String, TaskHandlerEndpoint> endpoints, TaskStore store,
			NatsMessageConverter converter, DeadLetterPublishingRecoverer recoverer, String deadLetterSubject,
			TaskMetrics metrics, ObservationSettings<TaskRunObservationConvention> observations,
			ScheduledExecutorService timeouts, TaskTracking tracking, Executor completions) {
		this.observations = observations;
		this.queue = queue;
		this.endpoints = Map.copyOf(endpoints);
		this.store = store;
		this.converter = converter;
		this.recoverer = recoverer;
		this.deadLetterSubject = deadLetterSubject;
		this.metrics = metrics;
		this.timeouts = timeouts;
		this.tracking = tracking;
		this.completer = new TaskCompleter(store, converter, completions);
	}

	long succeeded() {
		return this.succeeded.get();
	}

	long failed() {
		return this.failed.get();
	}

	@Override
	public CompletionStage<?> handleDeferred(JetStreamMessage message) {
		NatsMessage natsMessage = message.message();
		String id = idOf(message);
		String type = typeOf(natsMessage);
		TaskTracking tracking = TaskTracking.of(natsMessage.header(TaskWireFormat.TRACKING_HEADER), this.tracking);
		try {
			TaskWireFormat.checkId(id);
		}
		catch (IllegalArgumentException ex) {
			deadLetter(message, id, null, ex.getClass().getName(), ex.getMessage(), 0, tracking);
			return SETTLED;
		}
		Instant notBefore;
		try {
			notBefore = TaskWireFormat.parseTime(natsMessage.header(TaskWireFormat.NOT_BEFORE_HEADER));
		}
		catch (IllegalArgumentException ex) {
			deadLetter(message, id, null, ex.getClass().getName(), ex.getMessage(), 0, tracking);
			return SETTLED;
		}
		Instant now = Instant.now();
		if (notBefore != null && notBefore.isAfter(now.plusMillis(20))) {
			// the broker keeps it until then; no attempt is used
			if (tracking == TaskTracking.FULL) {
				this.store.change(id, lastSeen(message, id, type, notBefore), (current) -> scheduled(current, message));
			}
			message.nakWithDelay(Duration.between(now, notBefore));
			return SETTLED;
		}
		TaskHandlerEndpoint endpoint = this.endpoints.get(type);
		if (endpoint == null) {
			deadLetter(message, id, null, UNKNOWN_TYPE, "no @TaskHandler for task type '" + type + "' in queue '"
					+ this.queue + "' (known: " + this.endpoints.keySet() + ")", 0, tracking);
			return SETTLED;
		}
		int maxAttempts = maxAttempts(natsMessage, endpoint);
		if (tracking != TaskTracking.FULL) {
			return runUntracked(message, endpoint, id, type, maxAttempts, notBefore, tracking);
		}
		AtomicBoolean started = new AtomicBoolean();
		TaskStore.Versioned stored = this.store.change(id, lastSeen(message, id, type, notBefore), (current) -> {
			started.set(false);
			// no status, or one of an ended task whose id was reused after the duplicate
			// window
			boolean fresh = current == null || (current.state().isFinal()
					&& current.streamSequence() < message.streamSequence() && current.streamSequence() > 0);
			TaskStatus base = fresh ? fromMessage(message, id, type, maxAttempts, notBefore) : current;
			if (base.state().isFinal() || base.attempts() >= maxAttempts) {
				return fresh ? base : null;
			}
			started.set(true);
			TaskStatus run = base.started(maxAttempts);
			// a status the enqueue wrote before its task was stored learns its sequence
			return (run.streamSequence() == 0) ? run.atSequence(message.streamSequence()) : run;
		});
		TaskStatus status = (stored != null) ? stored.status() : null;
		if (status != null && status.state() == TaskState.DEAD) {
			// dead already (its dead letter or its term was lost): store the dead letter
			// again, never run it
			deadLetter(message, id, null, "io.natsboot.task.DeadTask", String.valueOf(status.lastError()),
					status.attempts(), tracking);
			return SETTLED;
		}
		if (status == null || status.state() == TaskState.CANCELLED || status.state() == TaskState.SUCCEEDED) {
			logger.debug(() -> "Task '" + id + "' is " + ((status != null) ? status.state() : "gone") + "; skipped");
			message.ack();
			return SETTLED;
		}
		if (!started.get()) {
			// every attempt was used, the last ones by workers that died or hung: a crash
			// loop ends here
			deadLetter(message, id, status, ATTEMPTS_EXHAUSTED,
					"ran " + status.attempts() + " of " + maxAttempts
							+ " times without finishing (its worker died or hung each time)",
					status.attempts(), tracking);
			return SETTLED;
		}
		this.running.put(message, stored);
		try {
			return run(message, endpoint, stored, maxAttempts);
		}
		finally {
			this.running.remove(message);
		}
	}

	/**
	 * What the status most likely is, so that the first change needs no read: on a first
	 * delivery, the status the enqueue created at the revision the task carries, or none
	 * when the task carries no revision (a plain client enqueued it). A wrong guess costs
	 * only the read it saved: the compare-and-set fails and the status is read.
	 */
	private TaskStore.@Nullable Versioned lastSeen(JetStreamMessage message, String id, String type,
			@Nullable Instant notBefore) {
		if (message.deliveredCount() != 1) {
			return null;
		}
		String revision = message.message().header(TaskWireFormat.STATUS_REVISION_HEADER);
		if (revision == null) {
			return TaskStore.Versioned.ABSENT;
		}
		try {
			long value = Long.parseLong(revision.trim());
			String maxAttempts = message.message().header(TaskWireFormat.MAX_ATTEMPTS_HEADER);
			return (value > 0) ? new TaskStore.Versioned(
					fromMessage(message, id, type, (maxAttempts != null) ? parseAttempts(maxAttempts) : 0, notBefore),
					value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable TaskStatus scheduled(@Nullable TaskStatus current, JetStreamMessage message) {
		if (current == null || current.state().isFinal()) {
			return null;
		}
		TaskStatus next = (current.streamSequence() == 0) ? current.atSequence(message.streamSequence()) : current;
		next = (next.state() == TaskState.PENDING) ? next.with(TaskState.SCHEDULED) : next;
		return (next != current) ? next : null;
	}

	@Override
	public void released(JetStreamMessage message) {
		TaskStore.Versioned stored = this.running.get(message);
		if (stored != null) {
			// before the nak: the next worker must find the attempt given back
			TaskStatus status = stored.status();
			this.store.change(status.id(), stored,
					(current) -> ours(current, status) ? current.releasedBy(status.attempts()) : null);
		}
	}

	private CompletionStage<?> run(JetStreamMessage message, TaskHandlerEndpoint endpoint, TaskStore.Versioned stored,
			int maxAttempts) {
		TaskStatus status = stored.status();
		RunningTask context = new RunningTask(message, status, this.store);
		Outcome outcome = observe(message, endpoint, context, maxAttempts);
		if (outcome.released(message)) {
			return SETTLED;
		}
		if (outcome.failed()) {
			onFailure(message, endpoint, stored, status, maxAttempts, outcome.cause(status, endpoint), outcome.nanos,
					TaskTracking.FULL);
			return SETTLED;
		}
		if (context.isCancelled()) {
			logger.info(() -> "Task '" + status.id() + "' was cancelled while running; its result is dropped");
			message.ack();
			return SETTLED;
		}
		return this.completer.completeTracked(message, stored, outcome.result)
			.thenApply((done) -> succeeded(done, status, outcome.nanos));
	}

	/**
	 * Runs a task that records no attempts ({@link TaskTracking#RESULTS},
	 * {@link TaskTracking#NONE}): its attempt is its delivery, less the one a delay's
	 * wait took.
	 */
	private CompletionStage<?> runUntracked(JetStreamMessage message, TaskHandlerEndpoint endpoint, String id,
			String type, int maxAttempts, @Nullable Instant notBefore, TaskTracking tracking) {
		long deliveries = message.deliveredCount();
		boolean waited = notBefore != null && message.storedAt().toInstant().isBefore(notBefore.minusMillis(20));
		int attempt = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deliveries - (waited ? 1 : 0)));
		TaskStatus task = fromMessage(message, id, type, maxAttempts, notBefore);
		if (attempt > crashLoopCap(maxAttempts)) {
			// its workers died or hung on every attempt: a crash loop ends here (later
			// than
			// with FULL, since a stopping worker's give-back counts as a delivery too,
			// and
			// a task given back once must still run); its end
			// (a DEAD status at RESULTS) counts the attempts it had, not this delivery,
			// which runs nothing, as the dead letter and a FULL status do
			deadLetter(message, id, task.runningAttempt(attempt - 1, maxAttempts), ATTEMPTS_EXHAUSTED,
					"was delivered " + deliveries + " times for " + maxAttempts
							+ " attempts without finishing (its worker died, hung or stopped each time)",
					attempt - 1, tracking);
			return SETTLED;
		}
		TaskStatus status = task.runningAttempt(attempt, maxAttempts);
		Outcome outcome = observe(message, endpoint, new RunningTask(message, status, null), maxAttempts);
		if (outcome.released(message)) {
			return SETTLED;
		}
		if (outcome.failed()) {
			onFailure(message, endpoint, null, status, maxAttempts, outcome.cause(status, endpoint), outcome.nanos,
					tracking);
			return SETTLED;
		}
		if (tracking == TaskTracking.NONE) {
			if (outcome.result != null) {
				logger.debug(() -> "Task '" + id + "' returned a result; its queue tracks nothing, so it is dropped");
			}
			message.ack();
			return CompletableFuture.completedFuture(succeeded(true, status, outcome.nanos));
		}
		return this.completer.completeUntracked(message, status, outcome.result)
			.thenApply((done) -> succeeded(done, status, outcome.nanos));
	}

	/**
	 * The most deliveries a task that records no attempts may have before it runs: twice
	 * its max attempts, since a delivery is not always an attempt (a stopping worker
	 * gives back the tasks it holds, run or not).
	 */
	static int crashLoopCap(int maxAttempts) {
		return (int) Math.min(Integer.MAX_VALUE, 2L * maxAttempts);
	}

	private boolean succeeded(boolean done, TaskStatus status, long nanos) {
		if (done) {
			this.succeeded.incrementAndGet();
			this.metrics.taskRun(this.queue, status.type(), nanos, "success");
		}
		return done;
	}

	/**
	 * Runs the handler as one observed attempt, a child of the task's enqueue (whose
	 * trace context the task's headers carry), in scope so the handler's logs carry the
	 * trace.
	 */
	private Outcome observe(JetStreamMessage message, TaskHandlerEndpoint endpoint, RunningTask context,
			int maxAttempts) {
		ObservationSettings<TaskRunObservationConvention> observed = this.observations;
		if (!observed.isOn()) {
			return invoke(message, endpoint, context);
		}
		TaskRunContext run = new TaskRunContext(this.queue, context.type(), context.id(), context.attempt(),
				message.nativeMessage());
		Observation observation = TaskObservation.RUN.start(observed.convention(),
				DefaultTaskRunObservationConvention.INSTANCE, () -> run, observed.registry());
		try {
			Outcome outcome;
			try (Observation.Scope scope = observation.openScope()) {
				outcome = invoke(message, endpoint, context);
			}
			run.setOutcome(outcomeOf(outcome, message, endpoint, context, maxAttempts, observation));
			return outcome;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * How an attempt ended, as {@link #run} and {@link #onFailure} go on with it; a
	 * failure is the observation's error, unless the attempt was given back (its worker
	 * stopped it).
	 */
	private static String outcomeOf(Outcome outcome, JetStreamMessage message, TaskHandlerEndpoint endpoint,
			RunningTask context, int maxAttempts, Observation observation) {
		if (message.isAcknowledged() && !outcome.timedOut) {
			return "released";
		}
		if (outcome.failed()) {
			Throwable cause = outcome.cause(context.status, endpoint);
			observation.error(cause);
			return retries(cause, context.status, maxAttempts) ? "retry" : "dead";
		}
		// what the handler saw: no store read here
		return context.cancelled ? "cancelled" : "success";
	}

	/** Whether a failed attempt is retried: what {@link #onFailure} decides. */
	private static boolean retries(Throwable cause, TaskStatus status, int maxAttempts) {
		return !ListenerFailures.isConversionFailure(cause) && !(cause instanceof NonRetryableTaskException)
				&& status.attempts() < maxAttempts;
	}

	/** Runs the handler within its timeout. */
	private Outcome invoke(JetStreamMessage message, TaskHandlerEndpoint endpoint, RunningTask context) {
		long start = System.nanoTime();
		Duration timeout = endpoint.getTimeout();
		Thread runner = Thread.currentThread();
		ScheduledFuture<?> timer = (timeout != null)
				? this.timeouts.schedule(() -> context.timeOut(runner), timeout.toMillis(), TimeUnit.MILLISECONDS)
				: null;
		Object result;
		Throwable failure = null;
		try {
			result = endpoint.invoke(message, context, this.converter);
		}
		catch (Throwable ex) {
			result = null;
			failure = ex;
		}
		boolean timedOut = context.finish(); // after this no timeout interrupt can come
		if (timer != null) {
			timer.cancel(false);
		}
		// a timeout's interrupt must not reach the next task on this thread
		Thread.interrupted();
		return new Outcome(result, failure, timedOut, System.nanoTime() - start);
	}

	private void onFailure(JetStreamMessage message, TaskHandlerEndpoint endpoint, TaskStore.@Nullable Versioned stored,
			TaskStatus status, int maxAttempts, Throwable cause, long nanos, TaskTracking tracking) {
		this.failed.incrementAndGet();
		String error = cause.getClass().getName() + ": " + NatsFailures.rootMessage(cause);
		boolean unreadable = ListenerFailures.isConversionFailure(cause);
		if (unreadable || cause instanceof NonRetryableTaskException) {
			// no retry can help, and no stack trace either: the message is at fault (the
			// dead-letter line names the task, its subject, the target type and the
			// cause) or the handler said so on purpose (the line gives its reason); the
			// stack trace is there for DEBUG
			this.metrics.taskRun(this.queue, status.type(), nanos, "dead");
			logger.debug(cause, () -> "Task '" + status.id() + "' (" + status.type() + ") is not retried");
			deadLetter(message, status.id(), status, cause.getClass().getName(),
					unreadable ? ListenerFailures.describeConversionFailure(cause) : String.valueOf(cause.getMessage()),
					status.attempts(), tracking);
			return;
		}
		if (status.attempts() >= maxAttempts) {
			this.metrics.taskRun(this.queue, status.type(), nanos, "dead");
			logger.error(cause, () -> "Task '" + status.id() + "' (" + status.type() + ") failed on attempt "
					+ status.attempts() + " of " + maxAttempts + "; moving it to dead letters");
			deadLetter(message, status.id(), status, cause.getClass().getName(), String.valueOf(cause.getMessage()),
					status.attempts(), tracking);
			return;
		}
		Duration delay = endpoint.getRetry().delayAfter(status.attempts());
		this.metrics.taskRun(this.queue, status.type(), nanos, "retry");
		logger.warn(() -> "Task '" + status.id() + "' (" + status.type() + ") failed on attempt " + status.attempts()
				+ " of " + maxAttempts + ": " + error + "; retrying in " + delay);
		if (stored != null) {
			this.store.change(status.id(), stored,
					(current) -> ours(current, status) ? current.failed(TaskState.RETRYING, error) : null);
		}
		message.nakWithDelay(delay);
	}

	private void deadLetter(JetStreamMessage message, String id, @Nullable TaskStatus status, String exceptionClass,
			String exceptionMessage, long attempts, TaskTracking tracking) {
		io.nats.client.Message raw = message.nativeMessage();
		try {
			this.recoverer.recover(new DeadLetter(raw.getSubject(), message.message().payload(), raw.getHeaders(),
					message.stream(), message.streamSequence(), message.consumer(), attempts, message.storedAt(),
					exceptionClass, exceptionMessage), this.deadLetterSubject);
		}
		catch (RuntimeException ex) {
			logger.error(ex,
					() -> "Task '" + id + "' could not be dead-lettered; it stays in the queue and comes again");
			message.nakWithDelay(DEAD_LETTER_RETRY);
			return;
		}
		message.term();
		String error = exceptionClass + ": " + exceptionMessage;
		try {
			markDead(id, status, error, tracking);
		}
		catch (RuntimeException ex) {
			logger.debug(ex, () -> "Could not mark task '" + id + "' dead");
		}
		logger.error(() -> "Task '" + id + "'" + ((status != null) ? " (" + status.type() + ")" : "")
				+ " moved to dead letters on '" + this.deadLetterSubject + "': " + error);
	}

	private void markDead(String id, @Nullable TaskStatus status, String error, TaskTracking tracking) {
		if (tracking == TaskTracking.NONE) {
			return;
		}
		if (tracking == TaskTracking.RESULTS) {
			// the end is what such a task records
			if (status != null) {
				this.store.put(id, status.failed(TaskState.DEAD, error));
			}
			return;
		}
		if (status != null) {
			this.store
				.update(id,
						(current) -> (current != null && current.attempts() == status.attempts()
								&& current.state() != TaskState.CANCELLED) ? current.failed(TaskState.DEAD, error)
										: null);
		}
		else {
			// dead before any run (unknown type, unreadable header): waiters must see it
			// end
			this.store.update(id, (current) -> (current != null && !current.state().isFinal())
					? current.failed(TaskState.DEAD, error) : null);
		}
	}

	/**
	 * Whether the stored status is still this run's: no later attempt started, not
	 * cancelled.
	 */
	static boolean ours(@Nullable TaskStatus current, TaskStatus run) {
		return current != null && current.attempts() == run.attempts() && current.state() == TaskState.RUNNING;
	}

	private static String idOf(JetStreamMessage message) {
		String id = message.message().header(TaskWireFormat.ID_HEADER);
		return (id != null && !id.isBlank()) ? id.trim() : "seq-" + message.streamSequence();
	}

	private static String typeOf(NatsMessage message) {
		String type = message.header(TaskWireFormat.TYPE_HEADER);
		if (type != null && !type.isBlank()) {
			return type.trim();
		}
		String subject = message.originalSubject();
		return subject.substring(subject.lastIndexOf('.') + 1);
	}

	private static int maxAttempts(NatsMessage message, TaskHandlerEndpoint endpoint) {
		String header = message.header(TaskWireFormat.MAX_ATTEMPTS_HEADER);
		int value = (header != null) ? parseAttempts(header) : 0;
		// an unreadable header falls back to the handler's setting
		return (value >= 1) ? value : endpoint.getRetry().maxAttempts();
	}

	private static int parseAttempts(String header) {
		try {
			return Math.max(0, Integer.parseInt(header.trim()));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private TaskStatus fromMessage(JetStreamMessage message, String id, String type, int maxAttempts,
			@Nullable Instant notBefore) {
		TaskPriority priority = TaskWireFormat.priorityOf(message.message().originalSubject());
		Instant now = Instant.now();
		return new TaskStatus(id, type, this.queue, priority, TaskState.PENDING, 0, maxAttempts, 0, null, null,
				message.streamSequence(), message.storedAt().toInstant(), notBefore, now, 0);
	}

	/** The context a running handler gets. */
	private static final class RunningTask implements TaskContext {

		private static final long CANCEL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

		private final JetStreamMessage message;

		private final TaskStatus status;

		/** Where its status is, or null when the task records no progress. */
		private final @Nullable TaskStore store;

		/** 0 running, 1 finished, 2 timed out; changed under this object's lock. */
		private int runState;

		private volatile boolean cancelled;

		private volatile long cancelCheckedAt = System.nanoTime();

		RunningTask(JetStreamMessage message, TaskStatus status, @Nullable TaskStore store) {
			this.message = message;
			this.status = status;
			this.store = store;
		}

		@Override
		public String id() {
			return this.status.id();
		}

		@Override
		public String type() {
			return this.status.type();
		}

		@Override
		public String queue() {
			return this.status.queue();
		}

		@Override
		public int attempt() {
			return this.status.attempts();
		}

		@Override
		public int maxAttempts() {
			return this.status.maxAttempts();
		}

		@Override
		public Instant enqueuedAt() {
			return this.status.enqueuedAt();
		}

		@Override
		public Map<String, List<String>> headers() {
			return this.message.message().headers();
		}

		@Override
		public void progress(int percent, @Nullable String note) {
			if (percent < 0 || percent > 100) {
				throw new IllegalArgumentException("Task progress must be 0 to 100, was " + percent);
			}
			if (this.store != null) {
				this.store.update(id(), (current) -> (current == null || current.state() != TaskState.RUNNING) ? null
						: current.progressed(percent, note));
			}
			heartbeat();
		}

		@Override
		public void heartbeat() {
			this.message.inProgress();
		}

		@Override
		public boolean isCancelled() {
			if (this.cancelled || this.store == null) {
				return this.cancelled;
			}
			long now = System.nanoTime();
			if (now - this.cancelCheckedAt >= CANCEL_CHECK_NANOS) {
				this.cancelCheckedAt = now;
				TaskStatus current = this.store.get(id());
				this.cancelled = current != null && current.state() == TaskState.CANCELLED;
			}
			return this.cancelled;
		}

		synchronized void timeOut(Thread runner) {
			if (this.runState == 0) {
				this.runState = 2;
				runner.interrupt();
			}
		}

		/**
		 * Ends the run: from now on a timeout does nothing.
		 * @return whether the run had timed out
		 */
		synchronized boolean finish() {
			if (this.runState == 0) {
				this.runState = 1;
			}
			return this.runState == 2;
		}

	}

	/**
	 * How a handler call ended.
	 *
	 * @param result what it returned
	 * @param failure what it threw, or null
	 * @param timedOut whether its timeout ended it
	 * @param nanos how long it ran
	 */
	private record Outcome(@Nullable Object result, @Nullable Throwable failure, boolean timedOut, long nanos) {

		/**
		 * Whether a stopping worker gave the message back while the handler ran (it gave
		 * the attempt back too): another worker runs it.
		 */
		boolean released(JetStreamMessage message) {
			if (message.isAcknowledged() && !this.timedOut) {
				logger.debug(() -> "Task " + message + " was released while running");
				return true;
			}
			return false;
		}

		boolean failed() {
			return this.failure != null || this.timedOut;
		}

		Throwable cause(TaskStatus status, TaskHandlerEndpoint endpoint) {
			return this.timedOut ? new TaskTimeoutException(status.id(), endpoint.getTimeout())
					: NatsFailures.unwrap(this.failure);
		}

	}

}
