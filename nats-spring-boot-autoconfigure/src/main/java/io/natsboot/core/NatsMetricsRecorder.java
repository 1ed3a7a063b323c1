package io.natsboot.core;

/**
 * Receives what {@link NatsTemplate} does (core messaging: publish, subscribe, request),
 * for metrics. Subjects are given without the namespace. The default records nothing;
 * with Micrometer on the class path and a {@code MeterRegistry} bean, natsboot records
 * counters and timers. A bean of this type replaces natsboot's. Each feature records
 * through its own interface ({@code NatsListenerMetrics}, {@code PullWorkerMetrics},
 * {@code TaskMetrics}, {@code KeyStoreMetrics}), so that core knows none of them.
 */
public interface NatsMetricsRecorder {

	/** A recorder that records nothing. */
	NatsMetricsRecorder NONE = new NatsMetricsRecorder() {
	};

	/**
	 * A message was published.
	 * @param subject the subject, without namespace
	 * @param bytes the payload size
	 */
	default void published(String subject, int bytes) {
	}

	/**
	 * A subscription received a message.
	 * @param subject the subject, without namespace
	 */
	default void received(String subject) {
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
