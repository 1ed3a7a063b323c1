package io.natsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@link KeyStoreObservation} and gives its keys; a bean of this type replaces
 * {@link DefaultKeyStoreObservationConvention}.
 */
public interface KeyStoreObservationConvention extends ObservationConvention<KeyStoreObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof KeyStoreObservationContext;
	}

}
