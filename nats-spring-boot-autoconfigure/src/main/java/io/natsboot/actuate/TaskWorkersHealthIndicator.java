package io.natsboot.actuate;

import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.task.TaskWorkerRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the task workers of this instance: DOWN while one is stalled (its consumers
 * cannot be set up or read, a pull is stuck, a handler hangs past its limit), with each
 * queue's worker as a detail. UP without details when the application has no task
 * handlers.
 */
public class TaskWorkersHealthIndicator extends AbstractHealthIndicator {

	private final TaskWorkerRegistry registry;

	/**
	 * Creates the indicator.
	 * @param registry the task workers
	 */
	public TaskWorkersHealthIndicator(TaskWorkerRegistry registry) {
		super("NATS task workers health check failed");
		this.registry = registry;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean healthy = true;
		for (String queue : this.registry.getQueues()) {
			PullWorkerStatus status = this.registry.getWorkerStatus(queue);
			if (status != null) {
				healthy &= status.healthy();
				builder.withDetail(queue, NatsListenersHealthIndicator.describe(status));
			}
		}
		if (healthy) {
			builder.up();
		}
		else {
			builder.down();
		}
	}

}
