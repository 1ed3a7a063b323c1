package io.natsboot.observation;

import io.micrometer.common.KeyValues;

/**
 * natsboot's convention for key store operations: span name {@code <operation> <bucket>},
 * bucket, operation and backend as keys.
 */
public class DefaultKeyStoreObservationConvention implements KeyStoreObservationConvention {

	/** The shared instance. */
	public static final DefaultKeyStoreObservationConvention INSTANCE = new DefaultKeyStoreObservationConvention();

	@Override
	public String getName() {
		return KeyStoreObservation.OPERATION.getName();
	}

	@Override
	public String getContextualName(KeyStoreObservationContext context) {
		return context.getOperation() + " " + context.getBucket();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(KeyStoreObservationContext context) {
		return KeyValues.of(NatsObservationKeys.KEY_STORE_BUCKET.withValue(context.getBucket()),
				NatsObservationKeys.KEY_STORE_OPERATION.withValue(context.getOperation()),
				NatsObservationKeys.KEY_STORE_BACKEND.withValue(context.getBackend()));
	}

}
