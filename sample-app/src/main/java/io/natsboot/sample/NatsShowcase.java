package io.natsboot.sample;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsTemplate;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates (or updates) the {@code ORDERS} stream whenever NATS is connected; the application may
 * start before NATS does.
 */
@Component
public class NatsShowcase {

	static final String ORDERS_STREAM = "ORDERS";

	private final NatsTemplate nats;

	private final Connection connection;

	NatsShowcase(NatsTemplate nats, Connection connection) {
		this.nats = nats;
		this.connection = connection;
	}

	@EventListener(ApplicationReadyEvent.class)
	void setUpWhenConnected() {
		this.connection.addConnectionListener((conn, event) -> {
			if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED) {
				createStream();
			}
		});
		if (this.nats.isConnected()) {
			createStream();
		}
	}

	private void createStream() {
		this.nats.jetStream()
			.createOrUpdateStream(StreamConfiguration.builder().name(ORDERS_STREAM).subjects("orders.>").build());
	}

}
