package io.natsboot.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsboot.core.NatsMetricsRecorder;

/**
 * Records {@code NatsTemplate} activity in Micrometer: {@code nats.messages.published}
 * (and {@code nats.messages.published.bytes}), {@code nats.messages.received} (every
 * message delivered to a template subscription or a {@code @NatsListener}, tag
 * {@code source}: {@code subscription} or {@code listener}), the {@code nats.requests}
 * timer (tag {@code outcome}) and {@code nats.errors} (tags {@code operation},
 * {@code exception}), all tagged with the subject without namespace. Cardinality is
 * bounded: past {@value #MAX_SUBJECTS} distinct subjects, further ones are tagged
 * {@code other}. Listeners, pull workers, tasks and the key store have recorders of their
 * own ({@link MicrometerListenerMetrics}, {@link MicrometerPullWorkerMetrics},
 * {@link MicrometerTaskMetrics}, {@link MicrometerKeyStoreMetrics}).
 */
public class MicrometerNatsMetricsRecorder implements NatsMetricsRecorder {

	/** The most distinct subject tags; further subjects share the tag {@code other}. */
	public static final int MAX_SUBJECTS = 100;

	private final MeterRegistry registry;

	private final boolean timers;

	/** Both publish counters of a subject, found with one lookup on the hot path. */
	private final Map<String, PublishMeters> published = new ConcurrentHashMap<>();

	/** By source, then subject tag: no key to build per message. */
	private final Map<String, Map<String, Counter>> received = new ConcurrentHashMap<>();

	private final Map<String, Timer> requests = new ConcurrentHashMap<>();

	private final Map<String, Boolean> knownSubjects = new ConcurrentHashMap<>();

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerNatsMetricsRecorder(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates the recorder, with or without its timer.
	 * @param registry where meters go
	 * @param timers whether the {@code nats.requests} timer is recorded
	 * ({@code nats.metrics.legacy-timers}; the observations time the same work)
	 */
	public MicrometerNatsMetricsRecorder(MeterRegistry registry, boolean timers) {
		this.registry = registry;
		this.timers = timers;
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
	public void received(String subject, String source) {
		String subjectTag = tag(subject);
		Map<String, Counter> bySubject = this.received.get(source);
		if (bySubject == null) {
			bySubject = this.received.computeIfAbsent(source, (ignored) -> new ConcurrentHashMap<>());
		}
		Counter counter = bySubject.get(subjectTag);
		if (counter == null) {
			counter = bySubject.computeIfAbsent(subjectTag,
					(ignored) -> Counter.builder("nats.messages.received")
						.description("Messages natsboot delivered to the application, by subject and source"
								+ " (subscription: NatsTemplate.subscribe, listener: @NatsListener)")
						.tag("subject", subjectTag)
						.tag("source", source)
						.register(this.registry));
		}
		counter.increment();
	}

	@Override
	public void requestCompleted(String subject, long nanos, String outcome) {
		if (!this.timers) {
			return;
		}
		String subjectTag = tag(subject);
		String key = subjectTag + '\u0000' + outcome;
		Timer timer = this.requests.get(key);
		if (timer == null) {
			timer = this.requests.computeIfAbsent(key,
					(ignored) -> Timer.builder("nats.requests")
						.description("Request-reply latency")
						.tag("subject", subjectTag)
						.tag("outcome", outcome)
						.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
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

}
