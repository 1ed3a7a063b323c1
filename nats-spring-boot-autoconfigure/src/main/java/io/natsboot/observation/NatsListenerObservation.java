package io.natsboot.observation;

import java.util.function.Supplier;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observations of {@code @NatsListener}s, switched by
 * {@code nats.observation.listener}. Each continues the trace the message's headers
 * carry; a reply the listener sends is a {@link NatsTemplateObservation#PUBLISH} within
 * it.
 */
public enum NatsListenerObservation implements ObservationDocumentation {

	/** A core listener handling one message, its reply included. */
	PROCESS {
		@Override
		public String getName() {
			return "nats.listener.process";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME, NatsObservationKeys.LISTENER_ID,
					NatsObservationKeys.QUEUE_GROUP };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.SUBJECT };
		}
	},

	/**
	 * A durable listener handling one delivery: a redelivery is an observation of its
	 * own.
	 */
	JETSTREAM_PROCESS {
		@Override
		public String getName() {
			return "nats.jetstream.process";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME, NatsObservationKeys.LISTENER_ID, NatsObservationKeys.STREAM,
					NatsObservationKeys.CONSUMER };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.SUBJECT, NatsObservationKeys.MESSAGE_ID,
					NatsObservationKeys.STREAM_SEQUENCE, NatsObservationKeys.DELIVERY_COUNT };
		}
	};

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultNatsListenerObservationConvention.class;
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
