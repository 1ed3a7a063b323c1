package io.natsboot.jetstream;

import java.util.List;

import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsOperations;

import org.springframework.core.Ordered;
import org.springframework.core.log.LogAccessor;

/**
 * Creates or updates the {@link NatsStreamDefinition} streams on every connect, first
 * among the connection's setup callbacks, so that consumers and workers find their
 * streams. A definition that sets no replicas (jnats' default of 1) gets
 * {@code nats.jetstream.replicas}.
 */
public class NatsStreamProvisioner implements NatsConnectionReadyCallback, Ordered {

	private static final LogAccessor logger = new LogAccessor(NatsStreamProvisioner.class);

	private final List<NatsStreamDefinition> definitions;

	private final int defaultReplicas;

	/**
	 * Creates a provisioner that creates streams as defined.
	 * @param definitions the streams to provision
	 */
	public NatsStreamProvisioner(List<NatsStreamDefinition> definitions) {
		this(definitions, 1);
	}

	/**
	 * Creates the provisioner.
	 * @param definitions the streams to provision
	 * @param defaultReplicas the replicas of definitions that set none (jnats' default of
	 * 1): {@code nats.jetstream.replicas}
	 */
	public NatsStreamProvisioner(List<NatsStreamDefinition> definitions, int defaultReplicas) {
		this.definitions = List.copyOf(definitions);
		this.defaultReplicas = defaultReplicas;
	}

	@Override
	public void onConnectionReady(NatsOperations nats, boolean reconnect) {
		for (NatsStreamDefinition definition : this.definitions) {
			StreamConfiguration configuration = definition.configuration();
			if (configuration.getReplicas() <= 1 && this.defaultReplicas > 1) {
				configuration = StreamConfiguration.builder(configuration).replicas(this.defaultReplicas).build();
			}
			nats.jetStream().createOrUpdateStream(configuration);
			logger.debug(() -> "Stream '" + definition.configuration().getName() + "' is provisioned");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
