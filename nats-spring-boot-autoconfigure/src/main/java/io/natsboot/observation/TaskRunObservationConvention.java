package io.natsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@link TaskObservation#RUN} observation and gives its keys; a bean of this
 * type replaces {@link DefaultTaskRunObservationConvention}.
 */
public interface TaskRunObservationConvention extends ObservationConvention<TaskRunContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskRunContext;
	}

}
