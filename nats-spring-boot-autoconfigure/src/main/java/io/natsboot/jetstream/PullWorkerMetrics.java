package io.natsboot.jetstream;

import java.util.function.LongSupplier;

/**
 * Receives what a {@link JetStreamPullWorker} (under a durable {@code @NatsListener} or a
 * task queue's workers) does with its consumer, for metrics. The default records nothing;
 * with Micrometer on the class path and a {@code MeterRegistry} bean, natsboot records
 * counters and gauges. A bean of this type replaces natsboot's.
 */
public interface PullWorkerMetrics {

	/** A recorder that records nothing. */
	PullWorkerMetrics NONE = new PullWorkerMetrics() {
	};

	/**
	 * A durable listener or worker started; the recorder may watch its consumer's
	 * figures.
	 * @param workerId the listener's or worker's id
	 * @param pending messages not yet delivered to the consumer (lag)
	 * @param ackPending messages delivered and not yet acknowledged
	 * @param redelivered messages delivered more than once and not yet acknowledged
	 */
	default void consumerStarted(String workerId, LongSupplier pending, LongSupplier ackPending,
			LongSupplier redelivered) {
	}

	/**
	 * A durable listener or worker received a message again (a retry or a redelivery).
	 * @param workerId the listener's or worker's id
	 */
	default void redelivered(String workerId) {
	}

	/**
	 * A durable listener or worker moved a message to dead letters.
	 * @param workerId the listener's or worker's id
	 */
	default void deadLettered(String workerId) {
	}

}
