package io.natsboot.sample;

import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsOperations;

import org.springframework.stereotype.Component;

/**
 * Creates (or updates) the {@code ORDERS} stream every time NATS is connected: at the first
 * connect, which may come after start-up, and after every reconnect.
 */
@Component
public class NatsShowcase implements NatsConnectionReadyCallback {

	static final String ORDERS_STREAM = "ORDERS";

	@Override
	public void onConnectionReady(NatsOperations nats, boolean reconnect) {
		nats.jetStream()
			.createOrUpdateStream(StreamConfiguration.builder().name(ORDERS_STREAM).subjects("orders.>").build());
	}

}
