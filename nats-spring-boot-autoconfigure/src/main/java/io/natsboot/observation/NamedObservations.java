package io.natsboot.observation;

import java.util.function.Supplier;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * Starts the observations of natsboot's documentation enums under their documented names.
 * One convention serves several observations (a publish, a request, a JetStream publish),
 * so it names none itself; Micrometer asks the convention for the name before anything
 * else, including the predicates that switch observations off by name (Boot's
 * {@code management.observations.enable.nats.publish=false}), so each convention is given
 * its observation's name here unless it has one of its own.
 */
final class NamedObservations {

	private NamedObservations() {
	}

	static <T extends Observation.Context> Observation start(ObservationDocumentation documentation,
			@Nullable ObservationConvention<T> customConvention, ObservationConvention<T> defaultConvention,
			Supplier<T> contextSupplier, ObservationRegistry registry) {
		String name = documentation.getName();
		return Observation
			.createNotStarted((customConvention != null) ? new Named<>(name, customConvention) : null,
					new Named<>(name, defaultConvention), contextSupplier, registry)
			.start();
	}

	/** A convention with a name: its own, or the observation's. */
	private static final class Named<T extends Observation.Context> implements ObservationConvention<T> {

		private final String name;

		private final ObservationConvention<T> convention;

		Named(String name, ObservationConvention<T> convention) {
			String own = convention.getName();
			this.name = (own != null && !own.isBlank()) ? own : name;
			this.convention = convention;
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public @Nullable String getContextualName(T context) {
			return this.convention.getContextualName(context);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(T context) {
			return this.convention.getLowCardinalityKeyValues(context);
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(T context) {
			return this.convention.getHighCardinalityKeyValues(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return this.convention.supportsContext(context);
		}

	}

}
