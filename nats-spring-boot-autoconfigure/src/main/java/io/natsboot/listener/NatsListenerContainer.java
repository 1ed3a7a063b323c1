package io.natsboot.listener;

/**
 * Runs one listener endpoint: a {@link SubscriptionListenerContainer} for a core NATS
 * subscription, a {@link JetStreamListenerContainer} for a durable JetStream consumer.
 * Not a bean: the {@link io.natsboot.config.NatsListenerEndpointRegistry} owns
 * containers; look them up there by id to stop or start one.
 */
public interface NatsListenerContainer {

	/**
	 * The container's id.
	 * @return the id
	 */
	String getId();

	/**
	 * The subject listened to, with the namespace (for a durable listener, its consumer's
	 * filter).
	 * @return the subject
	 */
	String getSubject();

	/**
	 * Whether the registry starts this container with the application.
	 * @return the choice
	 */
	boolean isAutoStartup();

	/**
	 * Whether the container is started (it may still wait for the connection).
	 * @return true between start and stop
	 */
	boolean isRunning();

	/**
	 * Whether messages reach the listener now: subscribed, or consuming from its durable
	 * consumer.
	 * @return true once receiving
	 */
	boolean isSubscribed();

	/**
	 * Whether the container stopped itself on purpose because its timeout passed (see
	 * {@code @NatsListener(timeout)}), rather than being stopped or failing.
	 * @return true while stopped by its timeout; a start clears it
	 */
	default boolean isStoppedByTimeout() {
		return false;
	}

	/**
	 * Starts receiving, now when connected, else as soon as the connection is ready.
	 */
	void start();

	/**
	 * Stops receiving; messages already received are still handled within the drain
	 * timeout.
	 */
	void stop();

}
