package io.natsboot.autoconfigure;

import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.natsboot.observation.ObservationSettings;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the observation settings of one kind of work from {@code nats.observation.*},
 * the application's {@link ObservationRegistry} (none: nothing is observed) and its
 * convention bean for that kind, if any.
 */
final class NatsObservationSupport {

	private NatsObservationSupport() {
	}

	static <C extends ObservationConvention<?>> ObservationSettings<C> settings(boolean enabled,
			ObjectProvider<ObservationRegistry> registry, ObjectProvider<C> convention) {
		if (!enabled) {
			return ObservationSettings.off();
		}
		ObservationRegistry observations = registry.getIfUnique();
		if (observations == null) {
			return ObservationSettings.off();
		}
		return new ObservationSettings<>(observations, convention.getIfUnique());
	}

}
