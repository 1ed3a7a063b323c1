package io.natsboot.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.natsboot.core.JetStreamOperations;
import io.natsboot.core.JetStreamOperationsFactory;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.ObjectStoreOperations;
import io.natsboot.observation.NatsTemplateObservationConvention;
import io.natsboot.observation.ObservationSettings;

/**
 * Makes a {@code NatsTemplate}'s JetStream operations ({@link JetStreamTemplate}) and
 * object store operations ({@link ObjectStoreTemplate}).
 */
public final class JetStreamTemplates implements JetStreamOperationsFactory {

	/** The instance whose templates observe nothing. */
	public static final JetStreamTemplates INSTANCE = new JetStreamTemplates(ObservationSettings.off());

	private final ObservationSettings<NatsTemplateObservationConvention> observations;

	/**
	 * Creates the factory of templates whose JetStream publishes are observed.
	 * @param observations the registry and convention of the publish observations
	 */
	public JetStreamTemplates(ObservationSettings<NatsTemplateObservationConvention> observations) {
		this.observations = observations;
	}

	@Override
	public JetStreamOperations jetStream(Connection connection, NatsMessageConverter converter,
			NatsSubjectResolver subjects, JetStreamOptions options, NatsExceptionTranslator translator) {
		return new JetStreamTemplate(connection, converter, subjects, options, translator, this.observations);
	}

	@Override
	public ObjectStoreOperations objectStore(Connection connection, String bucket, JetStreamOptions options,
			NatsExceptionTranslator translator) {
		return new ObjectStoreTemplate(connection, bucket, options, translator);
	}

}
