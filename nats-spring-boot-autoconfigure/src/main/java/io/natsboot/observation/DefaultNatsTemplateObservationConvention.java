package io.natsboot.observation;

import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * natsboot's convention for the template's observations: the subject's
 * {@link SubjectTemplate template} as destination and in the span name
 * ({@code publish orders.*.shipped}), the full subject, message id and stream sequence as
 * high-cardinality keys.
 */
public class DefaultNatsTemplateObservationConvention implements NatsTemplateObservationConvention {

	/** The shared instance. */
	public static final DefaultNatsTemplateObservationConvention INSTANCE = new DefaultNatsTemplateObservationConvention();

	/**
	 * None: each observation keeps the name its {@link NatsTemplateObservation} gives.
	 * @return null
	 */
	@Override
	public @Nullable String getName() {
		return null;
	}

	@Override
	public @Nullable String getContextualName(NatsPublishContext context) {
		return operation(context) + " " + SubjectTemplate.of(context.getSubject());
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NatsPublishContext context) {
		KeyValues values = KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
				NatsObservationKeys.MESSAGING_OPERATION.withValue(operation(context)),
				NatsObservationKeys.DESTINATION_NAME.withValue(SubjectTemplate.of(context.getSubject())));
		if (isJetStream(context)) {
			String stream = context.getStream();
			values = values.and(NatsObservationKeys.STREAM.withValue((stream != null) ? stream : "unknown"));
		}
		return values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NatsPublishContext context) {
		KeyValues values = KeyValues.of(NatsObservationKeys.SUBJECT.withValue(context.getSubject()));
		if (isJetStream(context)) {
			String id = context.getMessageId();
			if (id != null) {
				values = values.and(NatsObservationKeys.MESSAGE_ID.withValue(id));
			}
			if (context.getStreamSequence() > 0) {
				values = values
					.and(NatsObservationKeys.STREAM_SEQUENCE.withValue(String.valueOf(context.getStreamSequence())));
			}
		}
		return values;
	}

	private static boolean isJetStream(NatsPublishContext context) {
		return context.getObservation() == NatsTemplateObservation.JETSTREAM_PUBLISH;
	}

	private static String operation(NatsPublishContext context) {
		return (context.getObservation() == NatsTemplateObservation.REQUEST) ? "request" : "publish";
	}

}
