package io.natsboot.core;

/**
 * Receives what {@link NatsTemplate} does (core messaging: publish, subscribe, request),
 * and every message natsboot delivers to the application (to a template subscription or a
 * {@code @NatsListener}), for metrics. Subjects are given without the namespace. The
 * default records nothing; with Micrometer on the class path and a {@code MeterRegistry}
 * bean, natsboot records counters and timers. A bean of this type replaces natsboot's.
 * Each feature records through its own interface ({@code NatsListenerMetrics},
 * {@code PullWorkerMetrics}, {@code TaskMetrics}, {@code KeyStoreMetrics}), so that core
 * knows none of them.
 */
public interface NatsMetricsRecorder {

	/** A recorder that records nothing. */
	NatsMetricsRecorder NONE = new NatsMetricsRecorder() {
	};

	/** The source of a message a {@code NatsTemplate.subscribe} handler received. */
	String SUBSCRIPTION = "subscription";

	/**
	 * The source of a message a {@code @NatsListener} received, core or durable (each
	 * delivery of a durable listener's message counts).
	 */
	String LISTENER = "listener";

	/**
	 * A message was published.
	 * @param subject the subject, without namespace
	 * @param bytes the payload size
	 */
	default void published(String subject, int bytes) {
	}

	/**
	 * natsboot delivered a message to the application, before it is converted.
	 * @param subject the subject, without namespace
	 * @param source where it went: {@link #SUBSCRIPTION} or {@link #LISTENER}
	 */
	default void received(String subject, String source) {
	}

	/**
	 * A request completed.
	 * @param subject the subject, without namespace
	 * @param nanos how long it took
	 * @param outcome {@code success}, {@code timeout}, {@code no_responders},
	 * {@code service_error} or {@code error}
	 */
	default void requestCompleted(String subject, long nanos, String outcome) {
	}

	/**
	 * An operation failed.
	 * @param subject the subject, without namespace
	 * @param operation {@code publish}, {@code request}, {@code handle} or
	 * {@code subscribe}
	 * @param error the failure
	 */
	default void failed(String subject, String operation, Throwable error) {
	}

}
