package io.natsboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

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

}
