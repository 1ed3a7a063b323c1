package io.natsboot.config;

import java.util.ArrayList;
import java.util.List;

import io.natsboot.listener.adapter.NatsListenerInvokerContext;
import org.jspecify.annotations.Nullable;

/**
 * Collects listener endpoints (from {@link io.natsboot.annotation.NatsListener} methods
 * and from {@link io.natsboot.annotation.NatsListenerConfigurer}s) until all singletons
 * exist, then registers them with the {@link NatsListenerEndpointRegistry}.
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

	/**
	 * Registers the endpoints collected so far, and from now on each one as it is added;
	 * called once all singletons exist.
	 * @param registry creates and owns the containers
	 * @param factory creates the containers
	 * @param context what endpoints build their invokers with
	 */
	public synchronized void registerAll(NatsListenerEndpointRegistry registry, NatsListenerContainerFactory factory,
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
