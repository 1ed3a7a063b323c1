package io.natsboot.sample;

import io.natsboot.jetstream.NatsStreamDefinition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the {@code ORDERS} stream: natsboot creates (or updates) it every time NATS is
 * connected, at the first connect, which may come after start-up, and after every
 * reconnect, before the durable listener on it starts.
 */
@Configuration(proxyBeanMethods = false)
public class NatsShowcase {

	static final String ORDERS_STREAM = "ORDERS";

	@Bean
	NatsStreamDefinition ordersStream() {
		return NatsStreamDefinition.of(ORDERS_STREAM, "orders.>");
	}

}
