package io.natsboot.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.natsboot.core.JetStreamOperations;
import io.natsboot.core.JetStreamOperationsFactory;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.ObjectStoreOperations;

/**
 * Makes a {@code NatsTemplate}'s JetStream operations ({@link JetStreamTemplate}) and
 * object store operations ({@link ObjectStoreTemplate}).
 */
public final class JetStreamTemplates implements JetStreamOperationsFactory {

	/** The one instance: the templates it makes hold all their state. */
	public static final JetStreamTemplates INSTANCE = new JetStreamTemplates();

	private JetStreamTemplates() {
	}

	@Override
	public JetStreamOperations jetStream(Connection connection, NatsMessageConverter converter,
			NatsSubjectResolver subjects, JetStreamOptions options, NatsExceptionTranslator translator) {
		return new JetStreamTemplate(connection, converter, subjects, options, translator);
	}

	@Override
	public ObjectStoreOperations objectStore(Connection connection, String bucket, JetStreamOptions options,
			NatsExceptionTranslator translator) {
		return new ObjectStoreTemplate(connection, bucket, options, translator);
	}

}
