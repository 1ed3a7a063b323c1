package io.natsboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsTemplate;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sets up what the sample's endpoints use once NATS is connected (the application may start
 * before NATS does): a subscription that keeps the latest greetings, an echo service, and the
 * {@code ORDERS} stream.
 */
@Component
public class NatsShowcase {

	static final String ORDERS_STREAM = "ORDERS";

	private final NatsTemplate nats;

	private final Connection connection;

	private final ConcurrentLinkedDeque<Greeting> greetings = new ConcurrentLinkedDeque<>();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	NatsShowcase(NatsTemplate nats, Connection connection) {
		this.nats = nats;
		this.connection = connection;
	}

	@EventListener(ApplicationReadyEvent.class)
	void setUpWhenConnected() {
		this.connection.addConnectionListener((conn, event) -> {
			if (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED) {
				setUp();
			}
		});
		if (this.nats.isConnected()) {
			setUp();
		}
	}

	private void setUp() {
		// Streams are created or updated on every connect; subscriptions once (jnats restores them).
		this.nats.jetStream()
			.createOrUpdateStream(StreamConfiguration.builder().name(ORDERS_STREAM).subjects("orders.>").build());
		if (this.subscribed.compareAndSet(false, true)) {
			this.nats.subscribe("greetings", (message) -> {
				this.greetings.addFirst(new Greeting(message.originalSubject(), message.payloadAsString(),
						message.timestamp().toString()));
				while (this.greetings.size() > 20) {
					this.greetings.removeLast();
				}
			});
			this.nats.subscribe("service.echo", "echo-service", (message) -> this.nats.withoutNamespace()
				.publish(NatsMessage.builder(message.replyTo()).payload(message.payload()).build()));
		}
		this.nats.flush(Duration.ofSeconds(5));
	}

	List<Greeting> latestGreetings() {
		return List.copyOf(this.greetings);
	}

	/**
	 * A greeting received on the {@code greetings} subject.
	 *
	 * @param subject the subject without namespace
	 * @param text the greeting
	 * @param receivedAt when it arrived
	 */
	record Greeting(String subject, String text, String receivedAt) {
	}

}
