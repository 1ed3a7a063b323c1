package io.natsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@link TaskObservation#ENQUEUE} observation and gives its keys; a bean of
 * this type replaces {@link DefaultTaskEnqueueObservationConvention}.
 */
public interface TaskEnqueueObservationConvention extends ObservationConvention<TaskEnqueueContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskEnqueueContext;
	}

}
