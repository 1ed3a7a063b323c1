package io.natsboot.observation;

import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of work is observed: the registry its observations go to
 * ({@link ObservationRegistry#NOOP} when that kind is not observed) and the application's
 * convention for it, if any.
 *
 * @param <C> the kind's convention type
 * @param registry the registry
 * @param convention the application's convention, or null for natsboot's
 */
public record ObservationSettings<C extends ObservationConvention<?>>(ObservationRegistry registry,
		@Nullable C convention) {

	/**
	 * Settings that observe nothing.
	 * @param <C> the kind's convention type
	 * @return the settings
	 */
	public static <C extends ObservationConvention<?>> ObservationSettings<C> off() {
		return new ObservationSettings<>(ObservationRegistry.NOOP, null);
	}

	/**
	 * Whether observations of this kind are made: checked before building a context, so
	 * work that is not observed costs nothing.
	 * @return true when the registry observes anything
	 */
	public boolean isOn() {
		return !this.registry.isNoop();
	}

}
