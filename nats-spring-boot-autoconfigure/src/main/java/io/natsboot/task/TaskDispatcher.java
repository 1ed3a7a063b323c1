package io.natsboot.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.jetstream.DeadLetter;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamMessageHandler;
import io.natsboot.jetstream.ReleaseListener;
import io.natsboot.listener.adapter.ListenerFailures;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Runs the tasks of one queue: for each delivered task message it waits out a
 * {@code Task-Not-Before} in the broker ({@code nakWithDelay}, no attempt used), finds
 * the handler of its type, counts the attempt in the status bucket (compare-and-set) and
 * runs the handler only while attempts remain, stores the result, and on failure either
 * schedules the next attempt ({@code nakWithDelay} with the back-off) or moves the task
 * to dead letters. Never throws for a task's own failure, so the worker only
 * acknowledges.
 */
final class TaskDispatcher implements JetStreamMessageHandler, ReleaseListener {

	private static final LogAccessor logger = new LogAccessor(TaskDispatcher.class);

	/**
	 * The exception class recorded for tasks that ran out of attempts without finishing.
	 */
	static final String ATTEMPTS_EXHAUSTED = "io.natsboot.task.AttemptsExhausted";

	/** The exception class recorded for tasks of a type no handler knows. */
	static final String UNKNOWN_TYPE = "io.natsboot.task.UnknownTaskType";

	private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(5);

	private final String queue;

	private final Map<String, TaskHandlerEndpoint> endpoints;

	private final TaskStore store;

	private final NatsMessageConverter converter;

	private final DeadLetterPublishingRecoverer recoverer;

	private final String deadLetterSubject;

	private final TaskMetrics metrics;

	private final ScheduledExecutorService timeouts;

	private final AtomicLong succeeded = new AtomicLong();

	/**
	 * The status each running task was started with, for giving the attempt back on
	 * release.
	 */
	private final Map<JetStreamMessage, TaskStore.Versioned> running = new java.util.concurrent.ConcurrentHashMap<>();

	private final AtomicLong failed = new AtomicLong();

	TaskDispatcher(String queue, Map<String, TaskHandlerEndpoint> endpoints, TaskStore store,
			NatsMessageConverter converter, DeadLetterPublishingRecoverer recoverer, String deadLetterSubject,
			TaskMetrics metrics, ScheduledExecutorService timeouts) {
		this.queue = queue;
		this.endpoints = Map.copyOf(endpoints);
		this.store = store;
		this.converter = converter;
		this.recoverer = recoverer;
		this.deadLetterSubject = deadLetterSubject;
		this.metrics = metrics;
		this.timeouts = timeouts;
	}

	long succeeded() {
		return this.succeeded.get();
	}

	long failed() {
		return this.failed.get();
	}

	@Override
	public void handle(JetStreamMessage message) {
		NatsMessage natsMessage = message.message();
		String id = idOf(message);
		String type = typeOf(natsMessage);
		try {
			TaskWireFormat.checkId(id);
		}
		catch (IllegalArgumentException ex) {
			deadLetter(message, id, null, ex.getClass().getName(), ex.getMessage(), 0);
			return;
		}
		Instant notBefore;
		try {
			notBefore = TaskWireFormat.parseTime(natsMessage.header(TaskWireFormat.NOT_BEFORE_HEADER));
		}
		catch (IllegalArgumentException ex) {
			deadLetter(message, id, null, ex.getClass().getName(), ex.getMessage(), 0);
			return;
		}
		Instant now = Instant.now();
		if (notBefore != null && notBefore.isAfter(now.plusMillis(20))) {
			// the broker keeps it until then; no attempt is used
			this.store.update(id, (current) -> (current != null && current.state() == TaskState.PENDING)
					? current.with(TaskState.SCHEDULED) : null);
			message.nakWithDelay(Duration.between(now, notBefore));
			return;
		}
		TaskHandlerEndpoint endpoint = this.endpoints.get(type);
		if (endpoint == null) {
			deadLetter(message, id, null, UNKNOWN_TYPE, "no @TaskHandler for task type '" + type + "' in queue '"
					+ this.queue + "' (known: " + this.endpoints.keySet() + ")", 0);
			return;
		}
		int maxAttempts = maxAttempts(natsMessage, endpoint);
		java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
		TaskStore.Versioned stored = this.store.change(id, null, (current) -> {
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
			return base.started(maxAttempts);
		});
		TaskStatus status = (stored != null) ? stored.status() : null;
		if (status != null && status.state() == TaskState.DEAD) {
			// dead already (its dead letter or its term was lost): store the dead letter
			// again, never run it
			deadLetter(message, id, null, "io.natsboot.task.DeadTask", String.valueOf(status.lastError()),
					status.attempts());
			return;
		}
		if (status == null || status.state() == TaskState.CANCELLED || status.state() == TaskState.SUCCEEDED) {
			logger.debug(() -> "Task '" + id + "' is " + ((status != null) ? status.state() : "gone") + "; skipped");
			message.ack();
			return;
		}
		if (!started.get()) {
			// every attempt was used, the last ones by workers that died or hung: a crash
			// loop ends here
			deadLetter(message, id, status, ATTEMPTS_EXHAUSTED, "ran " + status.attempts() + " of " + maxAttempts
					+ " times without finishing (its worker died or hung each time)", status.attempts());
			return;
		}
		this.running.put(message, stored);
		try {
			run(message, endpoint, stored, maxAttempts);
		}
		finally {
			this.running.remove(message);
		}
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

	private void run(JetStreamMessage message, TaskHandlerEndpoint endpoint, TaskStore.Versioned stored,
			int maxAttempts) {
		TaskStatus status = stored.status();
		RunningTask context = new RunningTask(message, status, this.store);
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
		if (message.isAcknowledged() && !timedOut) {
			// released by a stopping worker (which gave the attempt back): another worker
			// runs it
			logger.debug(() -> "Task '" + status.id() + "' was released while running");
			return;
		}
		if (failure != null || timedOut) {
			Throwable cause = timedOut ? new TaskTimeoutException(status.id(), timeout) : NatsFailures.unwrap(failure);
			onFailure(message, endpoint, stored, maxAttempts, cause, System.nanoTime() - start);
			return;
		}
		if (context.isCancelled()) {
			logger.info(() -> "Task '" + status.id() + "' was cancelled while running; its result is dropped");
			message.ack();
			return;
		}
		if (!completeDurably(stored, status, result)) {
			// stopping before the status could be stored: the task comes again and runs
			// once more
			return;
		}
		message.ack();
		this.succeeded.incrementAndGet();
		this.metrics.taskRun(this.queue, status.type(), System.nanoTime() - start, "success");
	}

	/**
	 * Stores the result and SUCCEEDED until it lands: the store repeats each write
	 * through a leader election; an outage longer than that is waited out here (the
	 * message stays in hand, kept by heartbeats, and health shows the handler as hung
	 * past the max processing time), because an acknowledged task whose status stays
	 * RUNNING could only be waited for in vain.
	 * @return true once stored; false when the worker stops first (the message is left
	 * unacknowledged, so the task is delivered again)
	 */
	private boolean completeDurably(TaskStore.Versioned stored, TaskStatus status, @Nullable Object result) {
		long pause = 500;
		for (int attempt = 1;; attempt++) {
			try {
				complete(stored, status, result);
				return true;
			}
			catch (RuntimeException ex) {
				if (!FailoverRetry.isTransient(ex)) {
					// refused for good (a result over max_payload, a refused permission):
					// running it again would not help; the status must still end, or
					// waiters wait for ever
					logger.error(ex,
							() -> "Task '" + status.id() + "' finished, but its result or status could not be stored");
					endWithoutResult(stored, status, ex);
					return true;
				}
				int tries = attempt;
				logger.warn(() -> "Task '" + status.id() + "' finished, but its status could not be stored yet (try "
						+ tries + "): " + NatsFailures.rootMessage(ex) + "; trying again");
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				logger.warn(() -> "Task '" + status.id()
						+ "' finished, but the worker stopped before its status was stored;" + " it will run again");
				return false;
			}
			pause = Math.min(5000, pause * 2);
		}
	}

	private void endWithoutResult(TaskStore.Versioned stored, TaskStatus status, RuntimeException failure) {
		String error = "its result could not be stored: " + failure.getClass().getName() + ": "
				+ NatsFailures.rootMessage(failure);
		try {
			this.store.change(status.id(), stored, (current) -> ours(current, status)
					? current.failed(TaskState.SUCCEEDED, error).progressed(100, current.progressNote()) : null);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Task '" + status.id() + "' finished, but its status could not be stored either");
		}
	}

	private void complete(TaskStore.Versioned stored, TaskStatus status, @Nullable Object result) {
		if (result != null) {
			this.store.putResult(status.id(), this.converter.write(result, status.type()).data());
		}
		// no read first: unless the handler reported progress or it was cancelled, the
		// status is as written
		this.store.change(status.id(), stored, (current) -> ours(current, status)
				? current.with(TaskState.SUCCEEDED).progressed(100, current.progressNote()) : null);
	}

	private void onFailure(JetStreamMessage message, TaskHandlerEndpoint endpoint, TaskStore.Versioned stored,
			int maxAttempts, Throwable cause, long nanos) {
		TaskStatus status = stored.status();
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
					status.attempts());
			return;
		}
		if (status.attempts() >= maxAttempts) {
			this.metrics.taskRun(this.queue, status.type(), nanos, "dead");
			logger.error(cause, () -> "Task '" + status.id() + "' (" + status.type() + ") failed on attempt "
					+ status.attempts() + " of " + maxAttempts + "; moving it to dead letters");
			deadLetter(message, status.id(), status, cause.getClass().getName(), String.valueOf(cause.getMessage()),
					status.attempts());
			return;
		}
		Duration delay = endpoint.getRetry().delayAfter(status.attempts());
		this.metrics.taskRun(this.queue, status.type(), nanos, "retry");
		logger.warn(() -> "Task '" + status.id() + "' (" + status.type() + ") failed on attempt " + status.attempts()
				+ " of " + maxAttempts + ": " + error + "; retrying in " + delay);
		this.store.change(status.id(), stored,
				(current) -> ours(current, status) ? current.failed(TaskState.RETRYING, error) : null);
		message.nakWithDelay(delay);
	}

	private void deadLetter(JetStreamMessage message, String id, @Nullable TaskStatus status, String exceptionClass,
			String exceptionMessage, long attempts) {
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
			try {
				this.store.update(id, (current) -> (current != null && !current.state().isFinal())
						? current.failed(TaskState.DEAD, error) : null);
			}
			catch (RuntimeException ex) {
				logger.debug(ex, () -> "Could not mark task '" + id + "' dead");
			}
		}
		logger.error(() -> "Task '" + id + "'" + ((status != null) ? " (" + status.type() + ")" : "")
				+ " moved to dead letters on '" + this.deadLetterSubject + "': " + error);
	}

	/**
	 * Whether the stored status is still this run's: no later attempt started, not
	 * cancelled.
	 */
	private static boolean ours(@Nullable TaskStatus current, TaskStatus run) {
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
		if (header != null) {
			try {
				int value = Integer.parseInt(header.trim());
				if (value >= 1) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// an unreadable header falls back to the handler's setting
			}
		}
		return endpoint.getRetry().maxAttempts();
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

		private final TaskStore store;

		/** 0 running, 1 finished, 2 timed out; changed under this object's lock. */
		private int runState;

		private volatile boolean cancelled;

		private volatile long cancelCheckedAt = System.nanoTime();

		RunningTask(JetStreamMessage message, TaskStatus status, TaskStore store) {
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
			this.store.update(id(), (current) -> (current == null || current.state() != TaskState.RUNNING) ? null
					: current.progressed(percent, note));
			heartbeat();
		}

		@Override
		public void heartbeat() {
			this.message.inProgress();
		}

		@Override
		public boolean isCancelled() {
			if (this.cancelled) {
				return true;
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

}
