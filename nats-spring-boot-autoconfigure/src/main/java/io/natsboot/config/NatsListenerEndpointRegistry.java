package io.natsboot.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.natsboot.core.ConcurrentStop;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the {@link NatsListenerContainer}s: creates them for registered endpoints, starts
 * them with the application (after the connection, which stops last) and drains them at
 * shutdown. Containers are not beans; look them up here by id to stop or start one.
 */
public class NatsListenerEndpointRegistry implements SmartLifecycle, DisposableBean {

	/** The registry's bean name. */
	public static final String BEAN_NAME = "io.natsboot.listener.natsListenerEndpointRegistry";

	/**
	 * The phase: stops before the web server's graceful shutdown ends and long before the
	 * connection.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private final Map<String, NatsListenerContainer> containers = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Creates a container for an endpoint and registers it.
	 * @param endpoint the endpoint
	 * @param factory creates the container
	 * @param context what the endpoint builds its invoker with
	 * @return the container
	 * @throws IllegalStateException when another container has the same id
	 */
	public synchronized NatsListenerContainer registerListenerContainer(NatsListenerEndpoint endpoint,
			NatsListenerContainerFactory factory, NatsListenerInvokerContext context) {
		if (this.containers.containsKey(endpoint.getId())) {
			throw new IllegalStateException(
					"Another NATS listener container has the id '" + endpoint.getId() + "' (on '"
							+ this.containers.get(endpoint.getId()).getSubject() + "'); listener ids must be unique");
		}
		NatsListenerContainer container = factory.createContainer(endpoint, context);
		this.containers.put(endpoint.getId(), container);
		if (this.running && container.isAutoStartup()) {
			container.start();
		}
		return container;
	}

	/**
	 * A container by id.
	 * @param id the id
	 * @return the container, or null
	 */
	public synchronized @Nullable NatsListenerContainer getListenerContainer(String id) {
		return this.containers.get(id);
	}

	/**
	 * The ids of all containers.
	 * @return the ids
	 */
	public synchronized Set<String> getListenerContainerIds() {
		return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(this.containers.keySet()));
	}

	/**
	 * All containers.
	 * @return the containers
	 */
	public synchronized Collection<NatsListenerContainer> getListenerContainers() {
		return java.util.List.copyOf(this.containers.values());
	}

	@Override
	public void start() {
		for (NatsListenerContainer container : getListenerContainers()) {
			if (container.isAutoStartup()) {
				container.start();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		ConcurrentStop.stopAll(getListenerContainers(), NatsListenerContainer::stop,
				(container) -> "nats-stop-" + container.getId());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		stop();
	}

}
