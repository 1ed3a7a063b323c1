/**
 * Step two of the listener path, the endpoints and their registration: what to subscribe
 * to and what to call ({@link io.natsboot.config.NatsListenerEndpoint}), the registrar
 * that collects endpoints until all singletons exist, the
 * {@link io.natsboot.config.NatsListenerEndpointRegistry} that owns the containers, and
 * the {@link io.natsboot.config.NatsListenerContainerFactory} that makes a container
 * ({@code io.natsboot.listener}) for each endpoint.
 */
@NullMarked
package io.natsboot.config;

import org.jspecify.annotations.NullMarked;
