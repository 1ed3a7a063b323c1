package io.natsboot.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.natsboot.core.ConcurrentStop;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.NatsThreads;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamPullWorker;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.jetstream.PullWorkerSettings;
import io.natsboot.jetstream.PullWorkerStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Owns the task workers: one {@link JetStreamPullWorker} per queue with
 * {@link io.natsboot.annotation.TaskHandler}s, serving the queue's three durable
 * consumers ({@code tasks_<queue>_high}, {@code _normal}, {@code _low}, shared by all
 * instances) in priority order, and handing each task to a {@link TaskDispatcher}. Starts
 * with the application after the connection, drains at shutdown.
 */
public class TaskWorkerRegistry implements SmartLifecycle {

	/** Starts and stops with the listener containers. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private static final LogAccessor logger = new LogAccessor(TaskWorkerRegistry.class);

	private final NatsTemplate template;

	private final TaskQueueSettings settings;

	private final TaskQueueProvisioner provisioner;

	private final TaskMetrics metrics;

	private final PullWorkerMetrics workerMetrics;

	private final @Nullable NatsConnectionReadiness readiness;

	private final TaskStore store;

	private final DeadLetterPublishingRecoverer recoverer;

	private final Map<String, Map<String, TaskHandlerEndpoint>> endpoints = new LinkedHashMap<>();

	private final Map<String, QueueWorker> workers = new LinkedHashMap<>();

	private final ScheduledExecutorService timeouts = Executors
		.newSingleThreadScheduledExecutor(NatsThreads.daemon("nats-task-timeouts"));

	/**
	 * Where the writes of finished runs are awaited and, when one fails, repeated: off
	 * the handler threads, which go on to the next task.
	 */
	private final ExecutorService completions = Executors.newCachedThreadPool(NatsThreads.daemon("nats-task-complete"));

	private volatile boolean running;

	private volatile TaskObservations observations = TaskObservations.off();

	/**
	 * Creates the registry.
	 * @param template the connection, namespace and converter to use
	 * @param settings the task queue's configuration
	 * @param provisioner creates the stream and buckets
	 * @param metrics where task runs are recorded
	 * @param workerMetrics where the workers' consumer figures, redeliveries and dead
	 * letters are recorded
	 * @param readiness what workers wait for before they consume, or null
	 */
	public TaskWorkerRegistry(NatsTemplate template, TaskQueueSettings settings, TaskQueueProvisioner provisioner,
			TaskMetrics metrics, PullWorkerMetrics workerMetrics, @Nullable NatsConnectionReadiness readiness) {
		this.template = template;
		this.settings = settings;
		this.provisioner = provisioner;
		this.metrics = metrics;
		this.workerMetrics = workerMetrics;
		this.readiness = readiness;
		this.store = new TaskStore(template.getConnection(),
				KeyValueOptions.builder().jetStreamOptions(template.getJetStreamOptions()).build(),
				settings.statusBucket(), settings.resultBucket(), template.getMessageConverter(),
				failoverRetry(template, settings));
		this.recoverer = new TaskDeadLetterRecoverer(template.getConnection(), template.getJetStreamOptions(),
				DeadLetterPublishingRecoverer.retryWithin(settings.failoverTimeout()));
	}

	/**
	 * Sets how enqueues and task runs are observed; before the workers start.
	 * @param observations the registries and conventions of the observations
	 */
	public void setObservations(TaskObservations observations) {
		this.observations = observations;
	}

	TaskObservations observations() {
		return this.observations;
	}

	/**
	 * Registers a handler; its queue's worker starts with the registry.
	 * @param endpoint the handler
	 * @throws IllegalStateException when another handler has the same type in the same
	 * queue
	 */
	public synchronized void register(TaskHandlerEndpoint endpoint) {
		if (this.running) {
			throw new IllegalStateException("Task handlers must be registered before the task workers start");
		}
		Map<String, TaskHandlerEndpoint> queue = this.endpoints.computeIfAbsent(endpoint.getQueue(),
				(name) -> new LinkedHashMap<>());
		TaskHandlerEndpoint existing = queue.putIfAbsent(endpoint.getType(), endpoint);
		if (existing != null) {
			throw new IllegalStateException("Task type '" + endpoint.getType() + "' of queue '" + endpoint.getQueue()
					+ "' has two handlers: " + existing.describe() + " and " + endpoint.describe());
		}
		this.provisioner.provisionOnConnect();
	}

	/**
	 * @return the queues with handlers
	 */
	public synchronized List<String> getQueues() {
		return List.copyOf(this.endpoints.keySet());
	}

	/**
	 * The status of a queue's worker.
	 * @param queue the queue
	 * @return the status, or null when this instance has no worker for it
	 */
	public synchronized @Nullable PullWorkerStatus getWorkerStatus(String queue) {
		QueueWorker worker = this.workers.get(queue);
		return (worker != null) ? worker.worker.status() : null;
	}

	TaskStore store() {
		return this.store;
	}

	/**
	 * How the task queue repeats its writes through a leader election: not when the
	 * server refused a permission on the task stream or buckets (which also leaves a call
	 * unanswered).
	 */
	static FailoverRetry failoverRetry(NatsTemplate template, TaskQueueSettings settings) {
		NatsExceptionTranslator translator = template.getExceptionTranslator();
		Duration timeout = template.getJetStreamOptions().getRequestTimeout();
		List<String> names = List.of(settings.stream(), settings.statusBucket(), settings.resultBucket(),
				template.getSubjectResolver().forPublish(settings.wireFormat().subjectRoot()));
		return new FailoverRetry(settings.failoverTimeout())
			.refusedBy((failure) -> NatsExceptionTranslator.isNoAnswer(failure) ? translator.explainNoReply(
					template.getConnection(), NatsPermissionException.Operation.JETSTREAM_API,
					"use task queue '" + settings.stream() + "'", translator.markBefore(timeout),
					(subject) -> names.stream().anyMatch(subject::contains), failure) : null);
	}

	synchronized long[] counts(String queue) {
		QueueWorker worker = this.workers.get(queue);
		return (worker != null) ? new long[] { worker.dispatcher.succeeded(), worker.dispatcher.failed() }
				: new long[] { 0, 0 };
	}

	/**
	 * The durable consumer names of a queue, highest priority first.
	 * @param queue the queue
	 * @return the names
	 */
	List<String> consumerNames(String queue) {
		List<String> names = new ArrayList<>();
		for (TaskPriority priority : TaskPriority.values()) {
			names.add(this.template.getSubjectResolver().forName("tasks_" + queue + "_" + priority.token()));
		}
		return names;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.endpoints.forEach((queue, handlers) -> {
			QueueWorker worker = this.workers.computeIfAbsent(queue, (name) -> createWorker(name, handlers));
			worker.worker.start();
			this.workerMetrics.consumerStarted(worker.worker.getSettings().id(), () -> worker.worker.status().pending(),
					() -> worker.worker.status().ackPending(), () -> worker.worker.status().redelivered());
		});
		this.running = true;
	}

	private QueueWorker createWorker(String queue, Map<String, TaskHandlerEndpoint> handlers) {
		NatsSubjectResolver subjects = this.template.getSubjectResolver();
		int maxAttempts = handlers.values()
			.stream()
			.mapToInt((handler) -> handler.getRetry().maxAttempts())
			.max()
			.orElse(1);
		int concurrency = handlers.values().stream().mapToInt(TaskHandlerEndpoint::getConcurrency).max().orElse(1);
		List<String> names = consumerNames(queue);
		List<ConsumerConfiguration> consumers = new ArrayList<>();
		TaskPriority[] priorities = TaskPriority.values();
		for (int i = 0; i < priorities.length; i++) {
			consumers.add(ConsumerConfiguration.builder()
				.durable(names.get(i))
				.filterSubject(subjects.forSubscribe(this.settings.wireFormat().filter(queue, priorities[i])))
				.ackPolicy(AckPolicy.Explicit)
				.ackWait(this.settings.ackWait())
				// attempts are counted in the status bucket; this cap only stops what
				// never returns (generous, so a task's own larger max attempts and its
				// delays fit)
				.maxDeliver(Math.max(maxAttempts * 2L + 10, 1000))
				.build());
		}
		// the queue's subject: the recoverer files each task below it under its id
		String deadLetterSubject = subjects.forPublish(this.settings.wireFormat().deadLetterSubject(queue));
		TaskDispatcher dispatcher = new TaskDispatcher(queue, handlers, this.store, this.template.getMessageConverter(),
				this.recoverer, deadLetterSubject, this.metrics, this.observations.run(), this.timeouts,
				this.settings.queue(queue).tracking(), this.completions);
		PullWorkerSettings workerSettings = PullWorkerSettings
			.builder("tasks-" + queue, this.settings.stream(), consumers)
			.concurrency(concurrency)
			.batchSize(this.settings.batchSize())
			.prefetch(this.settings.queue(queue).prefetch())
			.drainTimeout(this.settings.drainTimeout())
			.maxProcessingTime(maxProcessingTime(handlers))
			.deadLetter(deadLetterSubject, null)
			.build();
		JetStreamPullWorker worker = new JetStreamPullWorker(workerSettings, this.template.getConnection(),
				this.template.getJetStreamOptions(), subjects, this.template.getMessageConverter(), dispatcher,
				this.recoverer, this.workerMetrics, this.readiness, this.template.getExceptionTranslator(),
				new TaskPriorityPullStrategy());
		return new QueueWorker(worker, dispatcher, names);
	}

	/**
	 * How long the worker reports a task in progress: past the longest handler timeout
	 * (which ends a hung run itself), or a day when a handler has none, so long tasks
	 * never run twice.
	 */
	private Duration maxProcessingTime(Map<String, TaskHandlerEndpoint> handlers) {
		Duration longest = Duration.ZERO;
		for (TaskHandlerEndpoint handler : handlers.values()) {
			Duration timeout = handler.getTimeout();
			if (timeout == null) {
				return Duration.ofDays(1);
			}
			longest = (timeout.compareTo(longest) > 0) ? timeout : longest;
		}
		return longest.plus(this.settings.ackWait().multipliedBy(2));
	}

	/**
	 * Runs up to {@code batchSize} waiting tasks on the calling thread, queue by queue,
	 * highest priority first.
	 * @param workerName who processes, for logs
	 * @param batchSize the most tasks
	 * @return how many ran
	 */
	int process(String workerName, int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
		}
		List<Map.Entry<String, QueueWorker>> queues;
		synchronized (this) {
			queues = new ArrayList<>(this.workers.entrySet());
			if (queues.isEmpty()) {
				this.endpoints
					.forEach((queue, handlers) -> queues.add(Map.entry(queue, createWorker(queue, handlers))));
			}
		}
		this.provisioner.ensureProvisioned();
		int done = 0;
		for (Map.Entry<String, QueueWorker> queue : queues) {
			ensureConsumers(queue.getValue().worker.getSettings());
			for (String consumer : queue.getValue().consumers) {
				if (done < batchSize) {
					done += processFrom(workerName, queue.getValue().dispatcher, consumer, batchSize - done);
				}
			}
		}
		return done;
	}

	private void ensureConsumers(PullWorkerSettings workerSettings) {
		try {
			io.nats.client.JetStreamManagement management = this.template.getConnection()
				.jetStreamManagement(this.template.getJetStreamOptions());
			for (ConsumerConfiguration consumer : workerSettings.consumers()) {
				management.addOrUpdateConsumer(workerSettings.stream(), consumer);
			}
		}
		catch (Exception ex) {
			throw new NatsException(
					"Cannot set up the consumers of task worker '" + workerSettings.id() + "': " + ex.getMessage(), ex);
		}
	}

	private int processFrom(String workerName, TaskDispatcher dispatcher, String consumer, int max) {
		int done = 0;
		JetStreamSubscription subscription = null;
		try {
			subscription = this.template.getConnection()
				.jetStream(this.template.getJetStreamOptions())
				.subscribe(null, PullSubscribeOptions.fastBind(this.settings.stream(), consumer));
			// one at a time: a fetched task's ack wait runs from its delivery
			while (done < max) {
				subscription.pullNoWait(1);
				Message raw = subscription.nextMessage(Duration.ofSeconds(2));
				if (raw == null) {
					break;
				}
				JetStreamMessage message = JetStreamMessage.of(raw, this.template.getSubjectResolver(),
						this.template.getMessageConverter());
				dispatcher.handle(message);
				if (!message.isAcknowledged()) {
					message.ack();
				}
				done++;
			}
			int count = done;
			logger.debug(() -> "Worker '" + workerName + "' processed " + count + " task(s) from '" + consumer + "'");
			return done;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return done;
		}
		catch (Exception ex) {
			throw new NatsException("Worker '" + workerName + "' cannot process tasks from consumer '" + consumer
					+ "': " + ex.getMessage(), ex);
		}
		finally {
			if (subscription != null) {
				subscription.unsubscribe();
			}
		}
	}

	@Override
	public void stop() {
		List<QueueWorker> current;
		synchronized (this) {
			this.running = false;
			current = new ArrayList<>(this.workers.values());
		}
		ConcurrentStop.stopAll(current, (worker) -> worker.worker.stop(), (worker) -> "nats-stop-" + worker.worker);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private record QueueWorker(JetStreamPullWorker worker, TaskDispatcher dispatcher, List<String> consumers) {
	}

}
