package io.natsboot.core;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;

/**
 * A subscription made through {@link NatsOperations#subscribe}, with its own dispatcher
 * thread. Not to be confused with jnats' {@code io.nats.client.impl.NatsSubscription}.
 */
public final class NatsSubscription {

	private final Connection connection;

	private final String subject;

	private final Dispatcher dispatcher;

	private final Subscription subscription;

	NatsSubscription(Connection connection, String subject, Dispatcher dispatcher, Subscription subscription) {
		this.connection = connection;
		this.subject = subject;
		this.dispatcher = dispatcher;
		this.subscription = subscription;
	}

	/**
	 * The subject as subscribed, with the namespace.
	 * @return the full subject
	 */
	public String subject() {
		return this.subject;
	}

	/**
	 * The queue group.
	 * @return the queue group, or null
	 */
	public String queueGroup() {
		return this.subscription.getQueueName();
	}

	/**
	 * How many messages the subscription has delivered to its handler.
	 * @return the count
	 */
	public long deliveredCount() {
		return this.subscription.getDeliveredCount();
	}

	/**
	 * Whether the subscription still receives messages.
	 * @return true while active
	 */
	public boolean isActive() {
		return this.subscription.isActive();
	}

	/**
	 * Stops receiving messages at once and releases the subscription's dispatcher thread.
	 */
	public void unsubscribe() {
		if (this.dispatcher.isActive()) {
			this.dispatcher.unsubscribe(this.subscription);
			this.connection.closeDispatcher(this.dispatcher);
		}
	}

	/**
	 * Stops after a number of further messages in total have been delivered.
	 * @param messages how many messages the subscription delivers in all before it ends
	 */
	public void unsubscribe(int messages) {
		this.dispatcher.unsubscribe(this.subscription, messages);
	}

	/**
	 * The jnats subscription.
	 * @return the subscription
	 */
	public Subscription nativeSubscription() {
		return this.subscription;
	}

	@Override
	public String toString() {
		return "NatsSubscription{subject=" + this.subject + ", queue=" + queueGroup() + "}";
	}

}
