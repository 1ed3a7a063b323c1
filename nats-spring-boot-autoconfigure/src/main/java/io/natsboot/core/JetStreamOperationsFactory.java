package io.natsboot.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;

/**
 * Makes the {@link JetStreamOperations} and {@link ObjectStoreOperations} a
 * {@link NatsTemplate} hands out. The template speaks only these interfaces; their
 * implementations live in {@code io.natsboot.jetstream} ({@code JetStreamTemplates}),
 * which builds on this package, so the dependencies between the two run one way.
 */
public interface JetStreamOperationsFactory {

	/**
	 * The JetStream operations of a template.
	 * @param connection the template's connection
	 * @param converter converts payloads
	 * @param subjects the template's namespace
	 * @param options the JetStream domain, API prefix and request timeout
	 * @param translator explains timeouts caused by refused permissions
	 * @return the operations
	 */
	JetStreamOperations jetStream(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			JetStreamOptions options, NatsExceptionTranslator translator);

	/**
	 * The operations on one object store bucket.
	 * @param connection the template's connection
	 * @param bucket the bucket's full name (the namespace already applied)
	 * @param options the JetStream domain, API prefix and request timeout
	 * @param translator explains timeouts caused by refused permissions
	 * @return the operations
	 */
	ObjectStoreOperations objectStore(Connection connection, String bucket, JetStreamOptions options,
			NatsExceptionTranslator translator);

}
