package io.natsboot.listener;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Collects listener endpoints (from {@link NatsListener} methods and from
 * {@link NatsListenerConfigurer}s) until all singletons exist, then registers them with the
 * {@link NatsListenerEndpointRegistry}.
 */
public class NatsListenerEndpointRegistrar {

	private final List<NatsListenerEndpoint> endpoints = new ArrayList<>();

	private @Nullable NatsListenerEndpointRegistry registry;

	private @Nullable NatsListenerContainerFactory containerFactory;

	private @Nullable NatsListenerInvokerContext invokerContext;

	/**
	 * Adds an endpoint.
	 * @param endpoint the endpoint
	 */
	public synchronized void registerEndpoint(NatsListenerEndpoint endpoint) {
		if (this.registry != null && this.containerFactory != null && this.invokerContext != null) {
			this.registry.registerListenerContainer(endpoint, this.containerFactory, this.invokerContext);
		}
		else {
			this.endpoints.add(endpoint);
		}
	}

	synchronized void registerAll(NatsListenerEndpointRegistry registry, NatsListenerContainerFactory factory,
			NatsListenerInvokerContext context) {
		this.registry = registry;
		this.containerFactory = factory;
		this.invokerContext = context;
		for (NatsListenerEndpoint endpoint : this.endpoints) {
			registry.registerListenerContainer(endpoint, factory, context);
		}
		this.endpoints.clear();
	}

}
