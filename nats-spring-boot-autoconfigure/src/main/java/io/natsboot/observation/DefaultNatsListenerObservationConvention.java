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

	@Override
	public @Nullable String getContextualName(NatsProcessContext context) {
		return "process " + context.getSubscribedSubject();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NatsProcessContext context) {
		KeyValues values = KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
				NatsObservationKeys.MESSAGING_OPERATION.withValue("process"),
				NatsObservationKeys.DESTINATION_NAME.withValue(context.getSubscribedSubject()),
				NatsObservationKeys.LISTENER_ID.withValue(context.getListenerId()));
		if (context.getObservation() == NatsListenerObservation.JETSTREAM_PROCESS) {
			return values.and(NatsObservationKeys.STREAM.withValue(orUnknown(context.getStream())),
					NatsObservationKeys.CONSUMER.withValue(orUnknown(context.getConsumer())));
		}
		String group = context.getQueueGroup();
		return values.and(NatsObservationKeys.QUEUE_GROUP.withValue((group != null) ? group : "none"));
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

	private static String orUnknown(@Nullable String value) {
		return (value != null) ? value : "unknown";
	}

}
