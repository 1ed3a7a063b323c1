package io.natsboot.observation;

import java.util.function.Supplier;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observations of {@code NatsTemplate} and its JetStream operations, switched by
 * {@code nats.observation.template}. Each sender observation writes the trace context
 * into the message's headers.
 */
public enum NatsTemplateObservation implements ObservationDocumentation {

	/** A message published on core NATS, replies of listeners included. */
	PUBLISH {
		@Override
		public String getName() {
			return "nats.publish";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.SUBJECT };
		}
	},

	/** A request, from its publish to its reply, timeout or failure. */
	REQUEST {
		@Override
		public String getName() {
			return "nats.request";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return PUBLISH.getLowCardinalityKeyNames();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return PUBLISH.getHighCardinalityKeyNames();
		}
	},

	/** A JetStream publish, until the stream stored it or refused it. */
	JETSTREAM_PUBLISH {
		@Override
		public String getName() {
			return "nats.jetstream.publish";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME, NatsObservationKeys.STREAM };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.SUBJECT, NatsObservationKeys.MESSAGE_ID,
					NatsObservationKeys.STREAM_SEQUENCE };
		}
	};

	@Override
	public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
		return DefaultNatsTemplateObservationConvention.class;
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
