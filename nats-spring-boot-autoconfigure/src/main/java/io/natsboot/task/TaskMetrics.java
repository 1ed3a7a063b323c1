package io.natsboot.task;

/**
 * Receives how {@code @TaskHandler} methods ran, for metrics. The default records
 * nothing; with Micrometer on the class path and a {@code MeterRegistry} bean, natsboot
 * records a timer. A bean of this type replaces natsboot's. Task workers' consumer
 * figures go to {@link io.natsboot.jetstream.PullWorkerMetrics}.
 */
public interface TaskMetrics {

	/** A recorder that records nothing. */
	TaskMetrics NONE = new TaskMetrics() {
	};

	/**
	 * A task handler ran.
	 * @param queue the queue
	 * @param type the task type
	 * @param nanos how long it ran
	 * @param outcome {@code success}, {@code retry} or {@code dead}
	 */
	default void taskRun(String queue, String type, long nanos, String outcome) {
	}

}
