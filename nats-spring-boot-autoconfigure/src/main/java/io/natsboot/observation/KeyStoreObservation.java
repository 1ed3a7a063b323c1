package io.natsboot.observation;

import java.util.function.Supplier;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observation of key store operations that reach the backend, switched by
 * {@code nats.observation.key-store}.
 */
public enum KeyStoreObservation implements ObservationDocumentation {

	/** One operation on the backend. */
	OPERATION {
		@Override
		public String getName() {
			return "nats.keystore.backend";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.KEY_STORE_BUCKET, NatsObservationKeys.KEY_STORE_OPERATION,
					NatsObservationKeys.KEY_STORE_BACKEND };
		}
	};

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultKeyStoreObservationConvention.class;
	}

	/**
	 * Starts this observation under its documented name, whatever name the convention
	 * gives (none, for natsboot's: they serve several observations).
	 */
	@Override
	public <T extends Observation.Context> Observation start(@Nullable ObservationConvention<T> customConvention,
			ObservationConvention<T> defaultConvention, Supplier<T> contextSupplier, ObservationRegistry registry) {
		return NamedObservations.start(this, customConvention, defaultConvention, contextSupplier, registry);
	}

}
