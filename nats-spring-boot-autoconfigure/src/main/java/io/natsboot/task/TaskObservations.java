package io.natsboot.task;

import io.natsboot.observation.ObservationSettings;
import io.natsboot.observation.TaskEnqueueObservationConvention;
import io.natsboot.observation.TaskRunObservationConvention;

/**
 * How the task queue observes its enqueues and each attempt to run a task.
 *
 * @param enqueue the registry and convention of {@code nats.task.enqueue}
 * @param run the registry and convention of {@code nats.task.run}
 */
public record TaskObservations(ObservationSettings<TaskEnqueueObservationConvention> enqueue,
		ObservationSettings<TaskRunObservationConvention> run) {

	/**
	 * Observations of nothing.
	 * @return the settings
	 */
	public static TaskObservations off() {
		return new TaskObservations(ObservationSettings.off(), ObservationSettings.off());
	}

}
