package io.natsboot.jetstream;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/**
 * A stream the application needs, declared as a bean: natsboot creates or updates it
 * whenever the connection is established, before listeners and workers start, so a
 * durable {@code @NatsListener} on it never meets a missing stream. Names and subjects
 * are given without the namespace; natsboot applies it. A definition that sets no
 * replicas (or 1) is created with {@code nats.jetstream.replicas}; set 2 or more to
 * choose its own.
 *
 * <pre class="code">
 * &#064;Bean
 * NatsStreamDefinition ordersStream() {
 *     return NatsStreamDefinition.of("ORDERS", "orders.&gt;");
 * }
 * </pre>
 *
 * @param configuration the stream's configuration (jnats' builder gives every option)
 */
public record NatsStreamDefinition(StreamConfiguration configuration) {

	/**
	 * A file-stored, limits-retention stream.
	 * @param name the stream name
	 * @param subjects the subjects it stores
	 * @return the definition
	 */
	public static NatsStreamDefinition of(String name, String... subjects) {
		return new NatsStreamDefinition(StreamConfiguration.builder()
			.name(name)
			.subjects(subjects)
			.storageType(StorageType.File)
			.retentionPolicy(RetentionPolicy.Limits)
			.build());
	}

}
