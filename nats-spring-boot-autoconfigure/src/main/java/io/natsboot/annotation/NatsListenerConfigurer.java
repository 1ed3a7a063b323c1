package io.natsboot.annotation;

import io.natsboot.config.NatsListenerEndpointRegistrar;

/**
 * Implemented by beans that register listener endpoints in code rather than with
 * {@link NatsListener}, e.g. a {@link io.natsboot.config.SimpleNatsListenerEndpoint}.
 */
@FunctionalInterface
public interface NatsListenerConfigurer {

	/**
	 * Registers endpoints.
	 * @param registrar where endpoints go
	 */
	void configureNatsListeners(NatsListenerEndpointRegistrar registrar);

}
