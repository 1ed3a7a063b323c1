package io.natsboot.task;

import java.util.LinkedHashMap;
import java.util.Map;

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

	/**
	 * The figures as the endpoint and the console show them.
	 * @return {@code queue}, {@code pending}, {@code running}, {@code succeeded},
	 * {@code failed} and {@code dead}, in this order
	 */
	public Map<String, Object> describe() {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("queue", this.queue);
		figures.put("pending", this.pending);
		figures.put("running", this.running);
		figures.put("succeeded", this.succeeded);
		figures.put("failed", this.failed);
		figures.put("dead", this.dead);
		return figures;
	}

}
