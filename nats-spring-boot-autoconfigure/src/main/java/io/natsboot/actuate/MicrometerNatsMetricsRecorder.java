package io.natsboot.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsboot.core.NatsMetricsRecorder;

/**
 * Records {@code NatsTemplate} activity in Micrometer: {@code nats.messages.published} (and
 * {@code nats.messages.published.bytes}), {@code nats.messages.received}, the {@code nats.requests}
 * timer (tag {@code outcome}) and {@code nats.errors} (tags {@code operation}, {@code exception}),
 * all tagged with the subject without namespace; and per listener the {@code nats.listener} timer
 * (tags {@code listener}, {@code outcome}) and {@code nats.listener.errors}; per durable listener or
 * worker the counters {@code nats.listener.redeliveries} and {@code nats.listener.dead.letters}
 * and the gauges {@code nats.listener.consumer.pending} (lag), {@code nats.listener.consumer.ack.pending}
 * and {@code nats.listener.consumer.redelivered} (task workers as {@code tasks-<queue>}); per task type
 * the {@code nats.task} timer (tags {@code queue}, {@code type}, {@code outcome}). Cardinality is bounded: past
 * {@value #MAX_SUBJECTS} distinct subjects, further ones are tagged {@code other}.
 */
public class MicrometerNatsMetricsRecorder implements NatsMetricsRecorder {

	/** The most distinct subject tags; further subjects share the tag {@code other}. */
	public static final int MAX_SUBJECTS = 100;

	private final MeterRegistry registry;

	/** Both publish counters of a subject, found with one lookup on the hot path. */
	private final Map<String, PublishMeters> published = new ConcurrentHashMap<>();

	private final Map<String, Counter> received = new ConcurrentHashMap<>();

	private final Map<String, Timer> requests = new ConcurrentHashMap<>();

	private final Map<KeyStoreOperation, Timer> keyStoreOperations = new ConcurrentHashMap<>();

	private final Map<String, Timer> listenerSuccesses = new ConcurrentHashMap<>();

	private final Map<String, Timer> listenerFailures = new ConcurrentHashMap<>();

	private final Map<String, Boolean> knownSubjects = new ConcurrentHashMap<>();

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerNatsMetricsRecorder(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void published(String subject, int bytes) {
		PublishMeters meters = this.published.get(subject);
		if (meters == null) {
			meters = this.published.computeIfAbsent(subject, (key) -> new PublishMeters(tag(key)));
		}
		meters.messages.increment();
		meters.bytes.increment(bytes);
	}

	@Override
	public void received(String subject) {
		this.received.computeIfAbsent(tag(subject), (key) -> Counter.builder("nats.messages.received")
			.description("Messages received by NatsTemplate subscriptions")
			.tag("subject", key)
			.register(this.registry)).increment();
	}

	@Override
	public void requestCompleted(String subject, long nanos, String outcome) {
		String subjectTag = tag(subject);
		String key = subjectTag + '\u0000' + outcome;
		Timer timer = this.requests.get(key);
		if (timer == null) {
			timer = this.requests.computeIfAbsent(key, (ignored) -> Timer.builder("nats.requests")
				.description("Request-reply latency")
				.tag("subject", subjectTag)
				.tag("outcome", outcome)
				.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void listenerInvoked(String listenerId, String subject, long nanos, boolean success) {
		Map<String, Timer> timers = success ? this.listenerSuccesses : this.listenerFailures;
		Timer timer = timers.get(listenerId);
		if (timer == null) {
			timer = timers.computeIfAbsent(listenerId, (ignored) -> Timer.builder("nats.listener")
				.description("Time @NatsListener methods take, by listener and outcome")
				.tag("listener", listenerId)
				.tag("outcome", success ? "success" : "failure")
				.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
		if (!success) {
			Counter.builder("nats.listener.errors")
				.description("Failed @NatsListener invocations")
				.tag("listener", listenerId)
				.register(this.registry)
				.increment();
		}
	}

	@Override
	public void failed(String subject, String operation, Throwable error) {
		Counter.builder("nats.errors")
			.description("Failed NatsTemplate operations")
			.tag("subject", tag(subject))
			.tag("operation", operation)
			.tag("exception", error.getClass().getSimpleName())
			.register(this.registry)
			.increment();
	}

	@Override
	public void taskRun(String queue, String type, long nanos, String outcome) {
		Timer.builder("nats.task")
			.description("Task handler runs, by queue, type and outcome (success, retry, dead)")
			.tag("queue", queue)
			.tag("type", type)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void redelivered(String workerId) {
		Counter.builder("nats.listener.redeliveries")
			.description("Messages a durable listener received again (retries and redeliveries)")
			.tag("listener", workerId)
			.register(this.registry)
			.increment();
	}

	@Override
	public void deadLettered(String workerId) {
		Counter.builder("nats.listener.dead.letters")
			.description("Messages a durable listener moved to dead letters")
			.tag("listener", workerId)
			.register(this.registry)
			.increment();
	}

	@Override
	public void consumerStarted(String workerId, LongSupplier pending, LongSupplier ackPending,
			LongSupplier redelivered) {
		gauge("nats.listener.consumer.pending", "Messages not yet delivered to the durable consumer (lag)", workerId,
				pending);
		gauge("nats.listener.consumer.ack.pending", "Messages delivered to the durable consumer and not yet acknowledged",
				workerId, ackPending);
		gauge("nats.listener.consumer.redelivered", "Unacknowledged messages delivered more than once", workerId,
				redelivered);
	}

	private void gauge(String name, String description, String workerId, LongSupplier value) {
		Gauge.builder(name, value::getAsLong)
			.description(description)
			.tag("listener", workerId)
			.strongReference(true)
			.register(this.registry);
	}

	private final class PublishMeters {

		private final Counter messages;

		private final Counter bytes;

		PublishMeters(String subjectTag) {
			this.messages = Counter.builder("nats.messages.published")
				.description("Messages published through NatsTemplate")
				.tag("subject", subjectTag)
				.register(MicrometerNatsMetricsRecorder.this.registry);
			this.bytes = Counter.builder("nats.messages.published.bytes")
				.description("Payload bytes published through NatsTemplate")
				.baseUnit("bytes")
				.tag("subject", subjectTag)
				.register(MicrometerNatsMetricsRecorder.this.registry);
		}

	}

	private String tag(String subject) {
		if (this.knownSubjects.containsKey(subject)) {
			return subject;
		}
		if (this.knownSubjects.size() < MAX_SUBJECTS) {
			this.knownSubjects.putIfAbsent(subject, Boolean.TRUE);
			return subject;
		}
		return "other";
	}

	@Override
	public void keyStoreOperation(String bucket, String operation, long nanos, String outcome) {
		KeyStoreOperation key = new KeyStoreOperation(bucket, operation, outcome);
		Timer timer = this.keyStoreOperations.get(key);
		if (timer == null) {
			timer = this.keyStoreOperations.computeIfAbsent(key, (k) -> Timer.builder("nats.keystore.operations")
				.description("Key store operations that reached the backend, by bucket, operation and outcome")
				.tag("bucket", bucket)
				.tag("operation", operation)
				.tag("outcome", outcome)
				.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	private record KeyStoreOperation(String bucket, String operation, String outcome) {
	}

}
