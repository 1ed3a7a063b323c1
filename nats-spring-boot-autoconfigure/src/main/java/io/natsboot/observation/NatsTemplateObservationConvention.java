package io.natsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observations of {@link NatsTemplateObservation} and gives their keys; a bean
 * of this type replaces {@link DefaultNatsTemplateObservationConvention}.
 */
public interface NatsTemplateObservationConvention extends ObservationConvention<NatsPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NatsPublishContext;
	}

}
