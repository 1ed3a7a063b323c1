package io.natsboot.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * A subscription made through {@link NatsOperations#subscribe}, with its own dispatcher
 * thread. Not to be confused with jnats' {@code io.nats.client.impl.NatsSubscription}.
 */
public final class NatsSubscription {

	private static final LogAccessor logger = new LogAccessor(NatsSubscription.class);

	/**
	 * How long a subscription that timed out may drain: handle the messages it received
	 * already.
	 */
	static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private final Connection connection;

	private final String subject;

	private final Dispatcher dispatcher;

	private final Subscription subscription;

	private final Consumer<NatsSubscription> onEnd;

	private volatile @Nullable ScheduledFuture<?> timeout;

	private volatile boolean timedOut;

	NatsSubscription(Connection connection, String subject, Dispatcher dispatcher, Subscription subscription,
			Consumer<NatsSubscription> onEnd) {
		this.connection = connection;
		this.subject = subject;
		this.dispatcher = dispatcher;
		this.subscription = subscription;
		this.onEnd = onEnd;
	}

	/**
	 * Makes the subscription end itself once a duration has passed: it drains (messages
	 * received already are still handled) and releases its dispatcher thread.
	 * @param duration how long it receives messages
	 */
	void endAfter(Duration duration) {
		this.timeout = NatsTimeouts.after(duration, "nats-timeout-" + this.subject, this::timeOut);
	}

	private void timeOut() {
		this.timedOut = true;
		this.onEnd.accept(this);
		if (!this.dispatcher.isActive()) {
			return;
		}
		try {
			NatsDispatchers.drain(this.connection, this.dispatcher, DRAIN_TIMEOUT);
			logger.debug(() -> "The subscription to '" + this.subject + "' ended after its timeout");
		}
		catch (RuntimeException | InterruptedException | TimeoutException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.warn(ex, () -> "The subscription to '" + this.subject + "' could not drain after its timeout");
			NatsDispatchers.closeQuietly(this.connection, this.dispatcher);
		}
	}

	/**
	 * Whether the subscription ended because its timeout passed (see
	 * {@link NatsOperations#subscribe(String, NatsMessageHandler, Duration)}).
	 * @return true once timed out
	 */
	public boolean isTimedOut() {
		return this.timedOut;
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
		ScheduledFuture<?> pending = this.timeout;
		if (pending != null) {
			pending.cancel(false);
		}
		this.onEnd.accept(this);
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
