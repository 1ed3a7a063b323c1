package io.natsboot.task;

import java.time.Duration;
import java.util.Map;

/**
 * The task queue's configuration, with names and the namespace resolved; built from
 * {@code nats.task-queue.*} by the auto-configuration.
 *
 * @param stream the task stream's full name
 * @param deadLetterStream the dead-letter stream's full name
 * @param statusBucket the status bucket's full name
 * @param resultBucket the result bucket's full name
 * @param ackWait how long a worker may hold a task without a heartbeat
 * @param retry the default retry policy
 * @param batchSize the most tasks one pull asks for
 * @param concurrency the default concurrency per queue
 * @param resultTtl how long results are kept (statuses at least a week)
 * @param maxMessages the task stream's message limit, or -1
 * @param maxBytes the task stream's size limit, or -1
 * @param replicas the replicas of streams and buckets
 * @param duplicateWindow the window in which a task id is deduplicated
 * @param drainTimeout how long stopping workers wait for running tasks
 * @param failoverTimeout how long enqueues, statuses and results are retried through a
 * leader election
 * @param wireFormat the subjects of tasks and dead letters, under the prefix of
 * natsboot's own subjects
 * @param prefetch how many delivered tasks a worker holds beyond its busy handlers,
 * unless its queue says otherwise
 * @param queues the settings of queues that differ from the defaults, by queue name
 */
public record TaskQueueSettings(String stream, String deadLetterStream, String statusBucket, String resultBucket,
		Duration ackWait, TaskRetryPolicy retry, int batchSize, int concurrency, Duration resultTtl, long maxMessages,
		long maxBytes, int replicas, Duration duplicateWindow, Duration drainTimeout, Duration failoverTimeout,
		TaskWireFormat wireFormat, int prefetch, Map<String, Queue> queues) {

	/**
	 * The settings of one queue.
	 * @param name the queue
	 * @return its own settings, or the defaults (full tracking, the default prefetch)
	 */
	public Queue queue(String name) {
		Queue queue = this.queues.get(name);
		return (queue != null) ? queue : new Queue(TaskTracking.FULL, this.prefetch);
	}

	/**
	 * How long statuses are kept after their last change: the result TTL, at least a week
	 * (a task delayed or waiting longer loses its status, and can then no longer be
	 * cancelled).
	 * @return the TTL
	 */
	public Duration statusTtl() {
		return (this.resultTtl.compareTo(Duration.ofDays(7)) < 0) ? Duration.ofDays(7) : this.resultTtl;
	}

	/**
	 * The settings of one queue.
	 *
	 * @param tracking what its tasks record in the status and result buckets
	 * @param prefetch how many delivered tasks a worker holds beyond its busy handlers
	 */
	public record Queue(TaskTracking tracking, int prefetch) {
	}

}
