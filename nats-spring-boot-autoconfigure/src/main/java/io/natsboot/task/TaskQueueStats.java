package io.natsboot.task;

/**
 * Figures of one queue.
 *
 * @param queue the queue
 * @param pending tasks waiting for a worker (all instances)
 * @param running tasks handed to workers and not yet finished (all instances), the ones a
 * worker holds in its prefetch included
 * @param succeeded tasks this instance finished since it started
 * @param failed failed runs in this instance since it started
 * @param dead dead letters kept for the queue
 */
public record TaskQueueStats(String queue, long pending, long running, long succeeded, long failed, long dead) {
}
