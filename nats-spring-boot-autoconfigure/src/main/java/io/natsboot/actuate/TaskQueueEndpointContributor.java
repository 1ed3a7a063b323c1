package io.natsboot.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskQueueStats;
import io.natsboot.task.TaskWorkerRegistry;

/**
 * The {@code taskQueue} section of {@code /actuator/nats}: per queue the waiting,
 * running, succeeded, failed and dead tasks ({@link TaskQueue#stats()}: the server's
 * counts, so the section costs the same however many tasks wait or are dead), and this
 * instance's worker.
 */
public class TaskQueueEndpointContributor implements NatsEndpointContributor {

	private final TaskQueue taskQueue;

	private final TaskWorkerRegistry registry;

	/**
	 * Creates the contributor.
	 * @param taskQueue the task queue
	 * @param registry the task workers
	 */
	public TaskQueueEndpointContributor(TaskQueue taskQueue, TaskWorkerRegistry registry) {
		this.taskQueue = taskQueue;
		this.registry = registry;
	}

	@Override
	public String name() {
		return "taskQueue";
	}

	@Override
	public Object describe() {
		List<Map<String, Object>> queues = new ArrayList<>();
		for (TaskQueueStats stats : this.taskQueue.stats()) {
			Map<String, Object> queue = stats.describe();
			PullWorkerStatus worker = this.registry.getWorkerStatus(stats.queue());
			if (worker != null) {
				queue.put("worker", NatsListenersHealthIndicator.describe(worker));
			}
			queues.add(queue);
		}
		return queues;
	}

}
