package io.natsboot.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.listener.NatsListenerContainer;

/**
 * The {@code listeners} section of {@code /actuator/nats}: every listener container with
 * its subject and state ({@code STOPPED_BY_TIMEOUT} for one that stopped itself after its
 * timeout), and for durable listeners their consumer, lag and failure figures.
 */
public class NatsListenersEndpointContributor implements NatsEndpointContributor {

	private final NatsListenerEndpointRegistry registry;

	/**
	 * Creates the contributor.
	 * @param registry the listener containers
	 */
	public NatsListenersEndpointContributor(NatsListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String name() {
		return "listeners";
	}

	@Override
	public boolean needsConnection() {
		return false; // the containers' own state, useful most while NATS is away
	}

	@Override
	public Object describe() {
		List<Map<String, Object>> listeners = new ArrayList<>();
		for (NatsListenerContainer container : this.registry.getListenerContainers()) {
			Map<String, Object> listener = new LinkedHashMap<>();
			listener.put("id", container.getId());
			listener.put("subject", container.getSubject());
			listener.put("running", container.isRunning());
			listener.put("receiving", container.isSubscribed());
			if (container.isStoppedByTimeout()) {
				listener.put("state", NatsListenersHealthIndicator.STOPPED_BY_TIMEOUT);
			}
			if (container instanceof JetStreamListenerContainer durable) {
				listener.put("durable", NatsListenersHealthIndicator.describe(durable.status()));
			}
			listeners.add(listener);
		}
		return listeners;
	}

}
