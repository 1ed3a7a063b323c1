package io.natsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observations of {@link NatsListenerObservation} and gives their keys; a bean
 * of this type replaces {@link DefaultNatsListenerObservationConvention}.
 */
public interface NatsListenerObservationConvention extends ObservationConvention<NatsProcessContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NatsProcessContext;
	}

}
