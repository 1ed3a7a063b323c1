package io.natsboot.core;

/**
 * Receives what {@link NatsTemplate} does, for metrics. Subjects are given without the namespace.
 * The default records nothing; with Micrometer on the class path and a {@code MeterRegistry} bean,
 * natsboot records counters and timers.
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
	 * @param outcome {@code success}, {@code timeout}, {@code no_responders}, {@code service_error}
	 * or {@code error}
	 */
	default void requestCompleted(String subject, long nanos, String outcome) {
	}

	/**
	 * A listener handled a message.
	 * @param listenerId the listener's container id
	 * @param subject the subject, without namespace
	 * @param nanos how long the listener ran
	 * @param success whether it returned normally
	 */
	default void listenerInvoked(String listenerId, String subject, long nanos, boolean success) {
	}

	/**
	 * An operation failed.
	 * @param subject the subject, without namespace
	 * @param operation {@code publish}, {@code request}, {@code handle} or {@code subscribe}
	 * @param error the failure
	 */
	default void failed(String subject, String operation, Throwable error) {
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

	/**
	 * A durable listener or worker started; the recorder may watch its consumer's figures.
	 * @param workerId the listener's or worker's id
	 * @param pending messages not yet delivered to the consumer (lag)
	 * @param ackPending messages delivered and not yet acknowledged
	 * @param redelivered messages delivered more than once and not yet acknowledged
	 */
	default void consumerStarted(String workerId, java.util.function.LongSupplier pending,
			java.util.function.LongSupplier ackPending, java.util.function.LongSupplier redelivered) {
	}

	/**
	 * A task handler ran.
	 * @param queue the queue
	 * @param type the task type
	 * @param nanos how long it ran
	 * @param outcome {@code success}, {@code retry} or {@code dead}
	 */
	default void taskRun(String queue, String type, long nanos, String outcome) {
	}

	/**
	 * A key store operation reached its backend (cache hits are counted by the cache's figures).
	 * @param bucket the bucket
	 * @param operation the operation, e.g. {@code store}, {@code retrieve}
	 * @param nanos how long it took
	 * @param outcome {@code success} or {@code error}
	 */
	default void keyStoreOperation(String bucket, String operation, long nanos, String outcome) {
	}

}
