package io.natsboot.task;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.PurgeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsPayloadLimit;
import io.natsboot.core.NatsRequestTimeoutException;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.NatsThreads;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamErrors;
import io.natsboot.jetstream.StreamPager;
import io.natsboot.observation.DefaultTaskEnqueueObservationConvention;
import io.natsboot.observation.ObservationSettings;
import io.natsboot.observation.TaskEnqueueContext;
import io.natsboot.observation.TaskEnqueueObservationConvention;
import io.natsboot.observation.TaskObservation;
import org.jspecify.annotations.Nullable;

/**
 * {@link TaskQueue} on JetStream: tasks are published to the {@code TASKS} work-queue
 * stream with their id as {@code Nats-Msg-Id} (so an id enqueued twice within the
 * duplicate window runs once); statuses and results live in key-value buckets; dead
 * letters in {@code TASKS_DEAD}.
 */
public class NatsTaskQueue implements TaskQueue {

	private static final int MAX_DEAD_LETTERS_READ = 10_000;

	private static final int MAX_RUNNING_LISTED = 100;

	private final Connection connection;

	private final NatsTemplate template;

	private final NatsSubjectResolver subjects;

	private final NatsMessageConverter converter;

	private final TaskQueueSettings settings;

	private final TaskQueueProvisioner provisioner;

	private final TaskWorkerRegistry registry;

	private final TaskStore store;

	private final FailoverRetry retry;

	private final ExecutorService waiters = Executors.newCachedThreadPool(NatsThreads.daemon("nats-task-result"));

	private volatile @Nullable JetStream jetStream;

	/**
	 * Creates the task queue.
	 * @param template the connection, namespace and converter to use
	 * @param settings the task queue's configuration
	 * @param provisioner creates the stream and buckets on first use
	 * @param registry the task workers of this instance
	 */
	public NatsTaskQueue(NatsTemplate template, TaskQueueSettings settings, TaskQueueProvisioner provisioner,
			TaskWorkerRegistry registry) {
		this.connection = template.getConnection();
		this.template = template;
		this.subjects = template.getSubjectResolver();
		this.converter = template.getMessageConverter();
		this.settings = settings;
		this.provisioner = provisioner;
		this.registry = registry;
		this.store = registry.store();
		this.retry = TaskWorkerRegistry.failoverRetry(template, settings);
	}

	@Override
	public TaskReceipt enqueue(String type, Object payload) {
		return enqueue(type, payload, TaskOptions.priority(TaskPriority.NORMAL));
	}

	@Override
	public TaskReceipt enqueue(String type, Object payload, TaskOptions options) {
		Prepared task = prepare(type, payload, options);
		try {
			return enqueue(task);
		}
		catch (RuntimeException ex) {
			task.observation.error(ex);
			throw ex;
		}
		finally {
			task.observation.stop();
		}
	}

	private TaskReceipt enqueue(Prepared task) {
		if (task.tracking != TaskTracking.FULL) {
			// nothing to record before it runs
			return publishTask(task);
		}
		this.provisioner.ensureProvisioned();
		long revision = this.store.create(task.id, task.status(0));
		if (revision > 0) {
			return enqueueAfterStatus(task, revision);
		}
		// a status is there: a duplicate enqueue, or an ended task whose id is used again
		return enqueueBeforeStatus(task);
	}

	/**
	 * The task after the status its enqueue created: the task carries that status's
	 * revision, so its first run starts with one compare-and-set. A task that could not
	 * be stored takes its status with it.
	 */
	private TaskReceipt enqueueAfterStatus(Prepared task, long revision) {
		task.headers.put(TaskWireFormat.STATUS_REVISION_HEADER, String.valueOf(revision));
		try {
			return publishTask(task);
		}
		catch (RuntimeException ex) {
			this.store.deleteIfAt(task.id, revision);
			throw ex;
		}
	}

	private TaskReceipt enqueueBeforeStatus(Prepared task) {
		TaskReceipt receipt = publishTask(task);
		if (!receipt.duplicate()) {
			this.store.update(task.id, (current) -> freshStatus(current, task, receipt.streamSequence()));
		}
		return receipt;
	}

	/**
	 * Publishes a task and waits for the server. A publish repeated through an election
	 * may find its own first try stored: that is no duplicate enqueue (and its status may
	 * still be missing: freshStatus keeps any that is there).
	 */
	private TaskReceipt publishTask(Prepared task) {
		boolean[] repeated = { false };
		PublishAck ack = publish(task.subject, task.headers, task.data, task.id,
				"enqueue task '" + task.id + "' (" + task.type + ")", repeated);
		return new TaskReceipt(task.id, ack.getSeqno(), ack.isDuplicate() && !repeated[0]);
	}

	/**
	 * The status a new task starts with: none is there, or the one there is of an earlier
	 * task with the same id that has ended (the id was reused after the duplicate
	 * window). A worker may have started the new task already: what it wrote stays.
	 */
	private static @Nullable TaskStatus freshStatus(@Nullable TaskStatus current, Prepared task, long sequence) {
		if (current == null || (current.state().isFinal() && current.streamSequence() < sequence)) {
			return task.status(sequence);
		}
		return null;
	}

	@Override
	public CompletableFuture<TaskReceipt> enqueueAsync(String type, Object payload, TaskOptions options) {
		Prepared task;
		try {
			task = prepare(type, payload, options);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (task.observation == Observation.NOOP) {
			return enqueueAsync(task);
		}
		CompletableFuture<TaskReceipt> observed = enqueueAsync(task).whenComplete((receipt, failure) -> {
			if (failure != null) {
				task.observation.error(NatsFailures.unwrap(NatsFailures.futureCause(failure)));
			}
			task.observation.stop();
		});
		// a caller that cancels what it gets must not keep the observation from stopping
		return observed.copy();
	}

	private CompletableFuture<TaskReceipt> enqueueAsync(Prepared task) {
		try {
			this.provisioner.ensureProvisioned();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (task.tracking != TaskTracking.FULL) {
			return publishAsync(task);
		}
		// the status first, as a key-value create (expected last sequence 0): it loses to
		// a status already there (a duplicate enqueue, a reused id), which the task then
		// goes before as in enqueueBeforeStatus
		return this.retry.callAsync(() -> this.store.writeAsync(task.id, task.status(0), 0), this.waiters)
			.handleAsync((statusAck, failure) -> {
				if (failure == null) {
					long revision = statusAck.getSeqno();
					task.headers.put(TaskWireFormat.STATUS_REVISION_HEADER, String.valueOf(revision));
					return publishAsync(task).whenCompleteAsync((receipt, publishFailure) -> {
						if (publishFailure != null) {
							this.store.deleteIfAt(task.id, revision);
						}
					}, this.waiters);
				}
				if (!isWrongLastSequence(failure)) {
					return CompletableFuture.<TaskReceipt>failedFuture(new NatsJetStreamException(
							"Cannot enqueue task '" + task.id + "': its status could not be stored: "
									+ NatsFailures.rootMessage(failure),
							0, failure));
				}
				return publishAsync(task).thenApplyAsync((receipt) -> {
					if (!receipt.duplicate()) {
						this.store.update(task.id, (current) -> freshStatus(current, task, receipt.streamSequence()));
					}
					return receipt;
				}, this.waiters);
			}, this.waiters)
			.thenCompose((receipt) -> receipt);
	}

	/**
	 * Enqueues tasks without waiting for each: every task and status write is pipelined
	 * to the server.
	 * @param tasks the tasks
	 * @return the receipts, in the order of the tasks
	 * @throws TaskBatchException when some could not be enqueued (the others are)
	 */
	@Override
	public List<TaskReceipt> enqueueAll(List<TaskRequest> tasks) {
		List<CompletableFuture<TaskReceipt>> futures = new ArrayList<>(tasks.size());
		for (TaskRequest task : tasks) {
			futures.add(enqueueAsync(task.type(), task.payload(), task.options()));
		}
		List<TaskReceipt> receipts = new ArrayList<>(tasks.size());
		List<TaskBatchException.Failure> failures = new ArrayList<>();
		for (int i = 0; i < futures.size(); i++) {
			try {
				receipts.add(futures.get(i).join());
			}
			catch (CompletionException | CancellationException ex) {
				Throwable cause = (ex.getCause() != null) ? NatsFailures.unwrap(ex.getCause()) : ex;
				receipts.add(null);
				failures.add(new TaskBatchException.Failure(i, tasks.get(i).type(),
						(cause instanceof RuntimeException runtime) ? runtime
								: new NatsException(String.valueOf(cause.getMessage()), cause)));
			}
		}
		if (!failures.isEmpty()) {
			throw new TaskBatchException(receipts, failures);
		}
		return receipts;
	}

	/**
	 * Publishes a task without waiting, repeated under its id through a leader election
	 * (stored once).
	 */
	private CompletableFuture<TaskReceipt> publishAsync(Prepared task) {
		AtomicInteger tries = new AtomicInteger();
		CompletableFuture<PublishAck> published;
		try {
			JetStream jetStream = jetStream();
			published = this.retry.callAsync(() -> {
				tries.incrementAndGet();
				return jetStream.publishAsync(task.subject, task.headers, task.data, publishOptions(task.id));
			}, this.waiters);
		}
		catch (IOException | RuntimeException ex) {
			return CompletableFuture.failedFuture((ex instanceof NatsException) ? ex
					: new NatsException("Cannot enqueue task '" + task.id + "': " + ex.getMessage(), ex));
		}
		// a duplicate of its own first try (repeated through an election) is no
		// duplicate enqueue
		return published
			.thenApply((ack) -> new TaskReceipt(task.id, ack.getSeqno(), ack.isDuplicate() && tries.get() == 1));
	}

	private JetStream jetStream() throws IOException {
		JetStream current = this.jetStream;
		if (current == null) {
			current = this.connection.jetStream(this.template.getJetStreamOptions());
			this.jetStream = current;
		}
		return current;
	}

	private static boolean isWrongLastSequence(Throwable failure) {
		JetStreamApiException api = apiException(failure);
		return api != null && api.getApiErrorCode() == JetStreamErrors.WRONG_LAST_SEQUENCE;
	}

	private static @Nullable JetStreamApiException apiException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JetStreamApiException api) {
				return api;
			}
		}
		return null;
	}

	private Prepared prepare(String type, Object payload, TaskOptions options) {
		TaskWireFormat.checkName(type, "type");
		String queue = TaskWireFormat
			.checkName((options.getQueue() != null) ? options.getQueue() : TaskOptions.DEFAULT_QUEUE, "queue");
		if (payload == null) {
			throw new IllegalArgumentException("The payload of task type '" + type + "' is null");
		}
		String id = (options.getId() != null) ? options.getId() : UUID.randomUUID().toString();
		String subject = this.subjects
			.forPublish(this.settings.wireFormat().subject(queue, options.getPriority(), type));
		NatsMessageConverter.Payload converted = this.converter.write(payload, subject);
		Headers headers = new Headers();
		options.getHeaders().forEach((name, value) -> {
			if (name.regionMatches(true, 0, "Task-", 0, 5) || name.regionMatches(true, 0, "Nats-", 0, 5)) {
				throw new IllegalArgumentException("Header '" + name + "' of task type '" + type
						+ "' is reserved (Task-* and Nats-* headers are set by the task queue)");
			}
			headers.put(name, value);
		});
		if (converted.contentType() != null) {
			headers.put(NatsHeaders.CONTENT_TYPE, converted.contentType());
		}
		headers.put(TaskWireFormat.ID_HEADER, id);
		headers.put(TaskWireFormat.TYPE_HEADER, type);
		Instant notBefore = options.getNotBefore();
		if (notBefore != null) {
			headers.put(TaskWireFormat.NOT_BEFORE_HEADER, TaskWireFormat.formatTime(notBefore));
		}
		if (options.getMaxAttempts() > 0) {
			headers.put(TaskWireFormat.MAX_ATTEMPTS_HEADER, String.valueOf(options.getMaxAttempts()));
		}
		TaskTracking tracking = this.settings.queue(queue).tracking();
		if (tracking != TaskTracking.FULL) {
			headers.put(TaskWireFormat.TRACKING_HEADER, tracking.token());
		}
		Observation observation = startEnqueue(queue, type, id, subject, headers);
		try {
			NatsPayloadLimit.checkJetStream(this.connection,
					() -> "task '" + id + "' (" + type + ") to '" + subject + "'", headers, converted.data());
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return new Prepared(id, type, queue, options, subject, headers, converted.data(), notBefore, tracking,
				observation);
	}

	/**
	 * Starts the enqueue's observation, which writes its trace context into the task's
	 * headers (before their size is checked): every attempt to run the task is its child.
	 */
	private Observation startEnqueue(String queue, String type, String id, String subject, Headers headers) {
		ObservationSettings<TaskEnqueueObservationConvention> observed = this.registry.observations().enqueue();
		if (!observed.isOn()) {
			return Observation.NOOP;
		}
		TaskEnqueueContext context = new TaskEnqueueContext(queue, type, id, subject, headers);
		return TaskObservation.ENQUEUE.start(observed.convention(), DefaultTaskEnqueueObservationConvention.INSTANCE,
				() -> context, observed.registry());
	}

	private PublishOptions publishOptions(String messageId) {
		return PublishOptions.builder().messageId(messageId).expectedStream(this.settings.stream()).build();
	}

	/**
	 * Publishes to the task stream, repeated under the same message id through a leader
	 * election (deduplicated, so stored once).
	 */
	private PublishAck publish(String subject, Headers headers, byte[] data, String messageId, String action,
			boolean[] repeated) {
		this.provisioner.ensureProvisioned();
		PublishOptions publishOptions = publishOptions(messageId);
		int[] tries = { 0 };
		try {
			return this.retry.call(action, () -> {
				repeated[0] = tries[0]++ > 0;
				return this.connection.jetStream(this.template.getJetStreamOptions())
					.publish(subject, headers, data, publishOptions);
			});
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsJetStreamException("Interrupted while trying to " + action + " to '" + subject + "'", 0, ex);
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException("Cannot " + action + " to '" + subject + "': " + ex.getErrorDescription(),
					ex.getApiErrorCode(), ex);
		}
		catch (Exception ex) {
			if (ex instanceof NatsException natsException) {
				throw natsException;
			}
			throw new NatsJetStreamException("Cannot " + action + " to '" + subject + "': " + ex.getMessage(), 0, ex);
		}
	}

	@Override
	public @Nullable TaskStatus status(String id) {
		this.provisioner.ensureProvisioned();
		return this.store.get(id);
	}

	@Override
	public <T> @Nullable T result(String id, Class<T> type) {
		this.provisioner.ensureProvisioned();
		byte[] data = this.store.getResult(id);
		return (data != null) ? type.cast(this.converter.read(data, null, type, "result of task " + id)) : null;
	}

	@Override
	public <T> @Nullable T awaitResult(String id, Class<T> type, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = 10;
		while (true) {
			TaskStatus status = status(id);
			if (status != null && status.state() == TaskState.SUCCEEDED) {
				return result(id, type);
			}
			if (status != null && status.state().isFinal()) {
				throw new TaskFailedException(status);
			}
			if (System.nanoTime() > deadline) {
				throw new NatsRequestTimeoutException("Task '" + id + "' has not finished within " + timeout
						+ " (it is " + ((status != null) ? status.state() : "unknown") + ")", null);
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new NatsException("Interrupted while waiting for task '" + id + "'", ex);
			}
			pause = Math.min(200, pause * 2);
		}
	}

	@Override
	public <T> CompletableFuture<@Nullable T> resultAsync(String id, Class<T> type, Duration timeout) {
		return CompletableFuture.supplyAsync(() -> awaitResult(id, type, timeout), this.waiters);
	}

	@Override
	public boolean cancel(String id) {
		this.provisioner.ensureProvisioned();
		AtomicBoolean cancelled = new AtomicBoolean();
		TaskState[] before = new TaskState[1];
		TaskStatus status = this.store.update(id, (current) -> {
			cancelled.set(false);
			if (current == null || current.state().isFinal()) {
				return null;
			}
			before[0] = current.state();
			cancelled.set(true);
			return current.with(TaskState.CANCELLED);
		});
		if (!cancelled.get() || status == null) {
			return false;
		}
		if (before[0] != TaskState.RUNNING && status.streamSequence() > 0) {
			// (a task no worker has received yet has no sequence in its status: the
			// first worker to receive it finds it cancelled and drops it)
			// pending, delayed or waiting for a retry: it never runs again
			try {
				management().deleteMessage(this.settings.stream(), status.streamSequence());
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.NO_MESSAGE_FOUND) {
					throw new NatsJetStreamException(
							"Cannot remove cancelled task '" + id + "': " + ex.getErrorDescription(),
							ex.getApiErrorCode(), ex);
				}
			}
			catch (IOException ex) {
				throw new NatsException("Cannot remove cancelled task '" + id + "': " + ex.getMessage(), ex);
			}
		}
		return true;
	}

	@Override
	public List<DeadTask> deadLetters() {
		this.provisioner.ensureProvisioned();
		try {
			JetStreamManagement management = management();
			StreamInfo info = management.getStreamInfo(this.settings.deadLetterStream());
			List<DeadTask> dead = new ArrayList<>();
			long first = info.getStreamState().getFirstSequence();
			long last = info.getStreamState().getLastSequence();
			for (long sequence = first; sequence <= last && sequence > 0
					&& dead.size() < MAX_DEAD_LETTERS_READ; sequence++) {
				MessageInfo letter = StreamPager.messageAt(management, this.settings.deadLetterStream(), sequence);
				if (letter != null) {
					dead.add(deadTask(letter, null));
				}
			}
			return dead;
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException(
					"Cannot read the dead letters of '" + this.settings.deadLetterStream() + "': " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public DeadTaskPage deadLetters(@Nullable String queue, long beforeSequence, int limit) {
		this.provisioner.ensureProvisioned();
		String stream = this.settings.deadLetterStream();
		try {
			JetStreamManagement management = management();
			if (queue != null) {
				TaskWireFormat.checkQueueName(queue);
			}
			StreamPager.Page<DeadTask> page = StreamPager.read(management, stream, beforeSequence, limit, (letter) -> {
				DeadTask task = readableDeadTask(letter);
				return (queue == null || queue.equals(task.queue())) ? task : null;
			});
			long total = (queue != null) ? deadCount(management, queue) : page.messages();
			return new DeadTaskPage(page.items(), page.next(), total);
		}
		catch (NatsException | IllegalArgumentException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new NatsException("Cannot read the dead letters of '" + stream + "': " + ex.getMessage(), ex);
		}
	}

	/**
	 * A dead letter for a listing: one another tool wrote without the headers natsboot
	 * writes is listed under its sequence with what is wrong, rather than failing the
	 * page it is on.
	 */
	private DeadTask readableDeadTask(MessageInfo letter) {
		try {
			return deadTask(letter, null);
		}
		catch (RuntimeException ex) {
			return new DeadTask("seq-" + letter.getSeq(), "unknown", "unknown", letter.getSeq(),
					(letter.getData() != null) ? letter.getData() : new byte[0], headersOf(letter), "",
					"not a natsboot dead letter: " + ex.getMessage(), 0, null);
		}
	}

	@Override
	public boolean deleteDeadLetter(String id) {
		DeadTask dead = deadLetter(id);
		if (dead == null) {
			return false;
		}
		try {
			return management().deleteMessage(this.settings.deadLetterStream(), dead.sequence());
		}
		catch (JetStreamApiException ex) {
			if (JetStreamErrors.isNoMessage(ex)) {
				return false; // removed by another instance meanwhile
			}
			throw new NatsJetStreamException(
					"Cannot delete the dead letter of task '" + id + "': " + ex.getErrorDescription(),
					ex.getApiErrorCode(), ex);
		}
		catch (IOException ex) {
			throw new NatsException("Cannot delete the dead letter of task '" + id + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public TaskCensus census(int limit) {
		Map<String, Map<String, Map<TaskState, Long>>> counts = new TreeMap<>();
		List<TaskStatus> running = new ArrayList<>();
		TaskStore.Visited read = this.store.visitStatuses(limit,
				this.template.getJetStreamOptions().getRequestTimeout().multipliedBy(5), (status) -> {
					counts.computeIfAbsent(status.queue(), (queue) -> new TreeMap<>())
						.computeIfAbsent(status.type(), (type) -> new EnumMap<>(TaskState.class))
						.merge(status.state(), 1L, Long::sum);
					if (status.state() == TaskState.RUNNING) {
						running.add(status);
					}
				});
		List<TaskCensus.TypeCounts> types = new ArrayList<>();
		counts.forEach((queue, byType) -> byType.forEach((type, byState) -> {
			Map<TaskState, Long> all = new EnumMap<>(TaskState.class);
			for (TaskState state : TaskState.values()) {
				all.put(state, byState.getOrDefault(state, 0L));
			}
			types.add(new TaskCensus.TypeCounts(queue, type, all));
		}));
		running.sort(Comparator.comparing(TaskStatus::updatedAt).reversed());
		return new TaskCensus(types, running.subList(0, Math.min(running.size(), MAX_RUNNING_LISTED)), read.read(),
				limit, read.cut());
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A few reads by subject, however many tasks and dead letters there are: the last
	 * message on the task's own dead-letter subject in its queue (the queue of its
	 * status; without a status, the default queue and the queues with handlers here),
	 * under the current prefix and then the ones a queue may have been moved from. Dead
	 * letters of earlier versions, kept together on their queue's subject, are read one
	 * by one only while such a subject holds any. An id no task can have (written by
	 * another client) is filed under its sequence, and searched among all dead letters.
	 */
	@Override
	public @Nullable DeadTask deadLetter(String id) {
		this.provisioner.ensureProvisioned();
		if (!TaskWireFormat.isValidId(id)) {
			return deadLetters().stream().filter((task) -> task.id().equals(id)).findFirst().orElse(null);
		}
		TaskStatus status = this.store.get(id);
		List<String> queues = (status != null) ? List.of(status.queue()) : queues();
		List<TaskWireFormat> formats = this.settings.wireFormat().withFormerPrefixes();
		try {
			JetStreamManagement management = management();
			for (TaskWireFormat format : formats) {
				for (String queue : queues) {
					MessageInfo letter = lastMessage(management,
							this.subjects.forPublish(format.deadLetterSubject(queue, id)));
					if (letter != null) {
						return deadTask(letter, id);
					}
				}
			}
			for (TaskWireFormat format : formats) {
				for (String queue : queues) {
					DeadTask earlier = findOnQueueSubject(management,
							this.subjects.forPublish(format.deadLetterSubject(queue)), id);
					if (earlier != null) {
						return earlier;
					}
				}
			}
			return null;
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException("Cannot read the dead letter of task '" + id + "' from '"
					+ this.settings.deadLetterStream() + "': " + ex.getMessage(), ex);
		}
	}

	/** The default queue, then the queues with handlers here. */
	private List<String> queues() {
		Set<String> queues = new LinkedHashSet<>();
		queues.add(TaskOptions.DEFAULT_QUEUE);
		queues.addAll(this.registry.getQueues());
		return List.copyOf(queues);
	}

	private @Nullable MessageInfo lastMessage(JetStreamManagement management, String subject)
			throws IOException, JetStreamApiException {
		try {
			return management.getLastMessage(this.settings.deadLetterStream(), subject);
		}
		catch (JetStreamApiException ex) {
			if (JetStreamErrors.isNoMessage(ex)) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * Searches the dead letters an earlier version kept together on a queue's subject:
	 * one read when there are none, one per dead letter on that subject otherwise (never
	 * the other queues' or the per-task ones).
	 */
	private @Nullable DeadTask findOnQueueSubject(JetStreamManagement management, String queueSubject, String id)
			throws IOException, JetStreamApiException {
		long next = 1;
		for (int read = 0; read < MAX_DEAD_LETTERS_READ; read++) {
			MessageInfo letter;
			try {
				letter = management.getNextMessage(this.settings.deadLetterStream(), next, queueSubject);
			}
			catch (JetStreamApiException ex) {
				if (JetStreamErrors.isNoMessage(ex)) {
					return null;
				}
				throw ex;
			}
			DeadTask task = deadTask(letter, null);
			if (task.id().equals(id)) {
				return task;
			}
			next = letter.getSeq() + 1;
		}
		return null;
	}

	@Override
	public TaskReceipt requeue(String id) {
		DeadTask dead = deadLetter(id);
		if (dead == null) {
			throw new IllegalArgumentException("There is no dead letter of task '" + id + "'");
		}
		Headers headers = new Headers();
		dead.headers().forEach((name, values) -> {
			// the status revision of the first enqueue is long gone
			if (DeadLetterPublishingRecoverer.isOriginalHeader(name)
					&& !name.equalsIgnoreCase(TaskWireFormat.STATUS_REVISION_HEADER)) {
				headers.put(name, values);
			}
		});
		// under the current prefix: a task dead before a prefix change returns to the
		// subjects the task stream stores now
		String subject = this.subjects.forPublish(this.settings.wireFormat()
			.current(this.subjects.strip(first(dead.headers(), DeadLetterPublishingRecoverer.SUBJECT_HEADER))));
		// fresh attempts before the task is back: a worker may take it at once (a task
		// that records nothing gets no status)
		boolean untracked = TaskTracking.of(
				dead.headers().containsKey(TaskWireFormat.TRACKING_HEADER)
						? first(dead.headers(), TaskWireFormat.TRACKING_HEADER) : null,
				TaskTracking.FULL) == TaskTracking.NONE;
		TaskStatus reset = untracked ? null
				: this.store.update(id,
						(current) -> (current != null) ? current.requeued(0)
								: new TaskStatus(id, dead.type(), dead.queue(), TaskPriority.NORMAL, TaskState.PENDING,
										0, 0, 0, null, null, 0, Instant.now(), null, Instant.now(), 1));
		int requeues = (reset != null) ? reset.requeues() : 1;
		// a message id of its own per re-queue: not taken for a duplicate of the last
		String messageId = untracked ? id + ":dead-" + dead.sequence() : id + ":" + requeues;
		PublishAck ack = publish(subject, headers, dead.payload(), messageId, "re-queue task '" + id + "'",
				new boolean[1]);
		if (!untracked) {
			this.store.update(id, (current) -> (current != null && current.streamSequence() == 0)
					? current.atSequence(ack.getSeqno()) : null);
		}
		try {
			management().deleteMessage(this.settings.deadLetterStream(), dead.sequence());
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException(
					"Task '" + id + "' was re-queued, but its dead letter could not be removed: " + ex.getMessage(),
					ex);
		}
		return new TaskReceipt(id, ack.getSeqno(), ack.isDuplicate());
	}

	@Override
	public long purgeDeadLetters() {
		this.provisioner.ensureProvisioned();
		try {
			return management().purgeStream(this.settings.deadLetterStream()).getPurged();
		}
		catch (IOException | JetStreamApiException ex) {
			throw new NatsException("Cannot purge the dead letters: " + ex.getMessage(), ex);
		}
	}

	@Override
	public long purgeDeadLetters(String queue) {
		TaskWireFormat.checkQueueName(queue); // a wildcard would purge other queues' too
		this.provisioner.ensureProvisioned();
		long purged = 0;
		try {
			JetStreamManagement management = management();
			for (TaskWireFormat format : this.settings.wireFormat().withFormerPrefixes()) {
				// the per-task subjects, and the queue's own subject of earlier versions
				for (String subject : List.of(format.deadLetterFilter(queue), format.deadLetterSubject(queue))) {
					purged += management
						.purgeStream(this.settings.deadLetterStream(),
								PurgeOptions.subject(this.subjects.forSubscribe(subject)))
						.getPurged();
				}
			}
			return purged;
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException(
					"Cannot purge the dead letters of task queue '" + queue + "': " + ex.getErrorDescription(),
					ex.getApiErrorCode(), ex);
		}
		catch (IOException ex) {
			throw new NatsException("Cannot purge the dead letters of task queue '" + queue + "': " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public int process(String workerName, int batchSize) {
		return this.registry.process(workerName, batchSize);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * From the server's state, never by reading tasks or dead letters: the waiting and
	 * running tasks from the queue's consumers (from the task stream's per-subject
	 * counts, a few subjects per queue, while no worker has made them), the dead ones
	 * from a consumer per queue on the dead-letter stream that never delivers, made on
	 * the first call ({@code [ns_]tasks_dead_<queue>}: its pending count is the number of
	 * the queue's dead letters), plus those an earlier version kept on the queue's own
	 * subject.
	 */
	@Override
	public List<TaskQueueStats> stats() {
		this.provisioner.ensureProvisioned();
		try {
			JetStreamManagement management = management();
			List<TaskQueueStats> stats = new ArrayList<>();
			for (String queue : queues()) {
				long pending = 0;
				long running = 0;
				for (String consumer : this.registry.consumerNames(queue)) {
					try {
						ConsumerInfo info = management.getConsumerInfo(this.settings.stream(), consumer);
						pending += info.getNumPending();
						running += info.getNumAckPending();
					}
					catch (JetStreamApiException ex) {
						// no worker has created this consumer yet: its tasks count as
						// pending below
					}
				}
				if (pending == 0 && running == 0) {
					pending = waiting(management, queue);
				}
				long[] counts = this.registry.counts(queue);
				stats.add(new TaskQueueStats(queue, pending, running, counts[0], counts[1],
						deadCount(management, queue)));
			}
			return stats;
		}
		catch (NatsException ex) {
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while reading the task queue's figures", ex);
		}
		catch (Exception ex) {
			throw new NatsException("Cannot read the task queue's figures: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The tasks of a queue in the task stream, from its per-subject counts: one subject
	 * per priority and type, however many tasks wait.
	 */
	private long waiting(JetStreamManagement management, String queue) throws IOException, JetStreamApiException {
		String filter = this.subjects.forSubscribe(this.settings.wireFormat().queueFilter(queue));
		StreamInfo info = management.getStreamInfo(this.settings.stream(), StreamInfoOptions.filterSubjects(filter));
		List<Subject> subjectCounts = info.getStreamState().getSubjects();
		return (subjectCounts != null) ? subjectCounts.stream().mapToLong(Subject::getCount).sum() : 0;
	}

	/**
	 * The dead letters of a queue under the current prefix: the per-task ones as the
	 * server counts them for the queue's counting consumer, plus those of earlier
	 * versions on the queue's own subject.
	 */
	private long deadCount(JetStreamManagement management, String queue) throws Exception {
		ConsumerInfo counter = this.retry.call("count the dead letters of task queue '" + queue + "'",
				() -> deadLetterCounter(management, queue));
		String queueSubject = this.subjects.forPublish(this.settings.wireFormat().deadLetterSubject(queue));
		return counter.getNumPending() + earlierDeadCount(management, queueSubject);
	}

	/**
	 * The consumer whose pending count is the number of a queue's per-task dead letters:
	 * nothing pulls from it, so every dead letter matching its filter stays pending, and
	 * one removed (re-queued, purged) is no longer counted. Made on the first count, and
	 * moved when the prefix changed.
	 */
	private ConsumerInfo deadLetterCounter(JetStreamManagement management, String queue)
			throws IOException, JetStreamApiException {
		String name = this.subjects.forName("tasks_dead_" + queue);
		String filter = this.subjects.forSubscribe(this.settings.wireFormat().deadLetterFilter(queue));
		try {
			ConsumerInfo info = management.getConsumerInfo(this.settings.deadLetterStream(), name);
			if (filter.equals(info.getConsumerConfiguration().getFilterSubject())) {
				return info;
			}
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() != JetStreamErrors.CONSUMER_NOT_FOUND) {
				throw ex;
			}
		}
		return management.addOrUpdateConsumer(this.settings.deadLetterStream(),
				ConsumerConfiguration.builder()
					.durable(name)
					.filterSubject(filter)
					.ackPolicy(AckPolicy.None)
					.deliverPolicy(DeliverPolicy.All)
					.build());
	}

	/**
	 * The dead letters an earlier version kept on a queue's own subject: one read by
	 * subject finds there are none (the case once they are re-queued or purged), and only
	 * then is the subject counted.
	 */
	private long earlierDeadCount(JetStreamManagement management, String queueSubject)
			throws IOException, JetStreamApiException {
		try {
			management.getFirstMessage(this.settings.deadLetterStream(), queueSubject);
		}
		catch (JetStreamApiException ex) {
			if (JetStreamErrors.isNoMessage(ex)) {
				return 0;
			}
			throw ex;
		}
		StreamInfo info = management.getStreamInfo(this.settings.deadLetterStream(),
				StreamInfoOptions.filterSubjects(queueSubject));
		List<Subject> subjectCounts = info.getStreamState().getSubjects();
		return (subjectCounts != null) ? subjectCounts.stream().mapToLong(Subject::getCount).sum() : 0;
	}

	/**
	 * Reads a dead letter.
	 * @param message the dead letter
	 * @param id the id it was found under (its own subject names it), or null to read it
	 * from the headers (or from the subject, when the dead letter had to leave out the
	 * task's headers to fit the server's max payload)
	 */
	private DeadTask deadTask(MessageInfo message, @Nullable String id) {
		Map<String, List<String>> headers = headersOf(message);
		String original = first(headers, DeadLetterPublishingRecoverer.SUBJECT_HEADER);
		String[] tokens = original.split("\\.");
		String queue = TaskWireFormat.queueOf(original);
		if (queue == null) {
			queue = TaskOptions.DEFAULT_QUEUE;
		}
		String type = headers.containsKey(TaskWireFormat.TYPE_HEADER) ? first(headers, TaskWireFormat.TYPE_HEADER)
				: tokens[tokens.length - 1];
		if (id == null) {
			id = headers.containsKey(TaskWireFormat.ID_HEADER) ? first(headers, TaskWireFormat.ID_HEADER).trim()
					: TaskWireFormat.idOfDeadLetterSubject(message.getSubject());
		}
		if (id == null) {
			id = "seq-" + first(headers, DeadLetterPublishingRecoverer.SEQUENCE_HEADER);
		}
		String failedAt = headers.containsKey(DeadLetterPublishingRecoverer.FAILED_AT_HEADER)
				? first(headers, DeadLetterPublishingRecoverer.FAILED_AT_HEADER) : null;
		long attempts = 0;
		try {
			attempts = Long.parseLong(first(headers, DeadLetterPublishingRecoverer.ATTEMPTS_HEADER));
		}
		catch (RuntimeException ex) {
			// written by another tool: unknown
		}
		return new DeadTask(id, type, queue, message.getSeq(), message.getData(), headers,
				headers.containsKey(DeadLetterPublishingRecoverer.EXCEPTION_HEADER)
						? first(headers, DeadLetterPublishingRecoverer.EXCEPTION_HEADER) : "",
				headers.containsKey(DeadLetterPublishingRecoverer.MESSAGE_HEADER)
						? first(headers, DeadLetterPublishingRecoverer.MESSAGE_HEADER) : "",
				attempts, (failedAt != null) ? ZonedDateTime.parse(failedAt).toInstant() : null);
	}

	/** A dead letter's headers, read-only, in their order. */
	private static Map<String, List<String>> headersOf(MessageInfo message) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		if (message.getHeaders() != null) {
			message.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		}
		return Collections.unmodifiableMap(headers);
	}

	private static String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		if (values == null || values.isEmpty()) {
			throw new IllegalStateException("The dead letter has no '" + name + "' header");
		}
		return values.get(0);
	}

	private JetStreamManagement management() throws IOException {
		return this.connection.jetStreamManagement(this.template.getJetStreamOptions());
	}

	/** A task ready to publish. */
	private record Prepared(String id, String type, String queue, TaskOptions options, String subject, Headers headers,
			byte[] data, @Nullable Instant notBefore, TaskTracking tracking, Observation observation) {

		TaskStatus status(long sequence) {
			Instant now = Instant.now();
			TaskState state = (this.notBefore != null && this.notBefore.isAfter(now)) ? TaskState.SCHEDULED
					: TaskState.PENDING;
			return new TaskStatus(this.id, this.type, this.queue, this.options.getPriority(), state, 0,
					this.options.getMaxAttempts(), 0, null, null, sequence, now, this.notBefore, now, 0);
		}

	}

}
