package io.natsboot.observation;

import io.micrometer.common.KeyValues;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * natsboot's convention for listener observations: the subscribed subject as destination
 * and in the span name ({@code process orders.>}), the listener's id and queue group (or
 * stream and consumer), the message's own subject, id, sequence and delivery count as
 * high-cardinality keys.
 */
public class DefaultNatsListenerObservationConvention implements NatsListenerObservationConvention {

	/** The shared instance. */
	public static final DefaultNatsListenerObservationConvention INSTANCE = new DefaultNatsListenerObservationConvention();

	/**
	 * None: each observation keeps the name its {@link NatsListenerObservation} gives.
	 * @return null
	 */
	@Override
	public @Nullable String getName() {
		return null;
	}

	private final ConventionCache<Kind, Names> names = new ConventionCache<>(Names::of);

	@Override
	public @Nullable String getContextualName(NatsProcessContext context) {
		return names(context).contextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NatsProcessContext context) {
		return names(context).lowCardinality();
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NatsProcessContext context) {
		Message message = context.getCarrier();
		KeyValues values = (message != null) ? KeyValues.of(NatsObservationKeys.SUBJECT.withValue(message.getSubject()))
				: KeyValues.empty();
		if (context.getObservation() != NatsListenerObservation.JETSTREAM_PROCESS) {
			return values;
		}
		String id = (message != null) ? NatsMessageHeaders.get(message, "Nats-Msg-Id") : null;
		if (id != null) {
			values = values.and(NatsObservationKeys.MESSAGE_ID.withValue(id));
		}
		return values.and(NatsObservationKeys.STREAM_SEQUENCE.withValue(String.valueOf(context.getStreamSequence())),
				NatsObservationKeys.DELIVERY_COUNT.withValue(String.valueOf(context.getDeliveryCount())));
	}

	private Names names(NatsProcessContext context) {
		return this.names.get(new Kind(context.getObservation(), context.getListenerId(),
				context.getSubscribedSubject(), context.getQueueGroup(), context.getStream(), context.getConsumer()));
	}

	/**
	 * What the names and keys of a listener's observations depend on: the listener alone.
	 */
	private record Kind(NatsListenerObservation observation, String listenerId, String subscribedSubject,
			@Nullable String queueGroup, @Nullable String stream, @Nullable String consumer) {
	}

	/** A listener's span name and low-cardinality keys. */
	private record Names(String contextualName, KeyValues lowCardinality) {

		static Names of(Kind kind) {
			KeyValues values = KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
					NatsObservationKeys.MESSAGING_OPERATION.withValue("process"),
					NatsObservationKeys.DESTINATION_NAME.withValue(kind.subscribedSubject()),
					NatsObservationKeys.LISTENER_ID.withValue(kind.listenerId()));
			if (kind.observation() == NatsListenerObservation.JETSTREAM_PROCESS) {
				values = values.and(NatsObservationKeys.STREAM.withValue(orUnknown(kind.stream())),
						NatsObservationKeys.CONSUMER.withValue(orUnknown(kind.consumer())));
			}
			else {
				String group = kind.queueGroup();
				values = values.and(NatsObservationKeys.QUEUE_GROUP.withValue((group != null) ? group : "none"));
			}
			return new Names("process " + kind.subscribedSubject(), values);
		}

	}

	private static String orUnknown(@Nullable String value) {
		return (value != null) ? value : "unknown";
	}

}
