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

	private final ConventionCache<Kind, Names> names = new ConventionCache<>(Names::of);

	@Override
	public @Nullable String getContextualName(NatsPublishContext context) {
		return names(context).contextualName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NatsPublishContext context) {
		return names(context).lowCardinality();
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NatsPublishContext context) {
		KeyValues values = context.subjectKeyValues();
		if (context.getObservation() != NatsTemplateObservation.JETSTREAM_PUBLISH) {
			return values;
		}
		String id = context.getMessageId();
		if (id != null) {
			values = values.and(NatsObservationKeys.MESSAGE_ID.withValue(id));
		}
		if (context.getStreamSequence() > 0) {
			values = values
				.and(NatsObservationKeys.STREAM_SEQUENCE.withValue(String.valueOf(context.getStreamSequence())));
		}
		return values;
	}

	private Names names(NatsPublishContext context) {
		boolean jetStream = context.getObservation() == NatsTemplateObservation.JETSTREAM_PUBLISH;
		String stream = context.getStream();
		return this.names.get(new Kind(context.getObservation(), context.getSubjectTemplate(),
				jetStream ? ((stream != null) ? stream : "unknown") : null));
	}

	/**
	 * What the names and keys of a message depend on: its subject's template (so that the
	 * replies to unique inboxes are one kind), never its subject.
	 */
	private record Kind(NatsTemplateObservation observation, String template, @Nullable String stream) {
	}

	/** The span name and the keys that are the same for every message of a kind. */
	private record Names(String contextualName, KeyValues lowCardinality) {

		static Names of(Kind kind) {
			String operation = (kind.observation() == NatsTemplateObservation.REQUEST) ? "request" : "publish";
			KeyValues low = KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
					NatsObservationKeys.MESSAGING_OPERATION.withValue(operation),
					NatsObservationKeys.DESTINATION_NAME.withValue(kind.template()));
			if (kind.stream() != null) {
				low = low.and(NatsObservationKeys.STREAM.withValue(kind.stream()));
			}
			return new Names(operation + " " + kind.template(), low);
		}

	}

}
