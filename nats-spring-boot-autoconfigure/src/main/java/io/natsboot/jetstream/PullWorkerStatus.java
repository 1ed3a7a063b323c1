package io.natsboot.jetstream;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link JetStreamPullWorker} is doing, for health, metrics and
 * {@code /actuator/nats}.
 *
 * @param id the worker's id
 * @param stream the stream
 * @param consumer the durable consumer
 * @param state what the worker does now
 * @param healthy false when the worker is stalled: its consumer cannot be set up or read,
 * or its pull loop stopped making progress
 * @param problem why it is not healthy, or null
 * @param lastPullAt when the latest pull ended, or null before the first
 * @param pending messages in the stream not yet delivered to the consumer (lag)
 * @param ackPending messages delivered and not yet acknowledged
 * @param redelivered messages delivered more than once and not yet acknowledged
 * @param handled messages handled successfully since start
 * @param failed handler failures since start
 * @param deadLettered messages sent to dead letters since start
 */
public record PullWorkerStatus(String id, String stream, String consumer, State state, boolean healthy,
		@Nullable String problem, @Nullable Instant lastPullAt, long pending, long ackPending, long redelivered,
		long handled, long failed, long deadLettered) {

	/**
	 * What a worker does.
	 */
	public enum State {

		/** Not started, or stopped. */
		STOPPED,

		/** Waiting for the connection (and its setup) to be ready. */
		WAITING_FOR_CONNECTION,

		/** Creating or updating the consumer. */
		PROVISIONING,

		/** Pulling and handling messages. */
		CONSUMING,

		/** The last attempt to set up or pull failed; retrying. */
		FAILING

	}

}
