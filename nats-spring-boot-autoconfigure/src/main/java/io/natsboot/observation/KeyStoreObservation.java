package io.natsboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

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

}
