package io.natsboot.jetstream;

import java.util.List;

import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsOperations;

import org.springframework.core.Ordered;
import org.springframework.core.log.LogAccessor;

/**
 * Creates or updates the {@link NatsStreamDefinition} streams on every connect, first among the
 * connection's setup callbacks, so that consumers and workers find their streams.
 */
public class NatsStreamProvisioner implements NatsConnectionReadyCallback, Ordered {

	private static final LogAccessor logger = new LogAccessor(NatsStreamProvisioner.class);

	private final List<NatsStreamDefinition> definitions;

	/**
	 * Creates the provisioner.
	 * @param definitions the streams to provision
	 */
	public NatsStreamProvisioner(List<NatsStreamDefinition> definitions) {
		this.definitions = List.copyOf(definitions);
	}

	@Override
	public void onConnectionReady(NatsOperations nats, boolean reconnect) {
		for (NatsStreamDefinition definition : this.definitions) {
			nats.jetStream().createOrUpdateStream(definition.configuration());
			logger.debug(() -> "Stream '" + definition.configuration().getName() + "' is provisioned");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
