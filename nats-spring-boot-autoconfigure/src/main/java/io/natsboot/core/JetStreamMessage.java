package io.natsboot.core;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import org.jspecify.annotations.Nullable;

/**
 * A message pulled from a JetStream consumer, with its stream position, its delivery
 * count and the acknowledgement verbs. Until it is acknowledged, the server redelivers it
 * after the consumer's ack wait. Only the first acknowledgement ({@code ack},
 * {@code nak}, {@code term}) is sent; later ones are ignored. A durable
 * {@code @NatsListener} method may declare a parameter of this type for the metadata
 * (stream sequence, delivery count, time stored).
 */
public final class JetStreamMessage implements Acknowledgment {

	private final NatsMessage message;

	private final Message nativeMessage;

	private final NatsJetStreamMetaData metaData;

	private final AtomicBoolean acknowledged = new AtomicBoolean();

	/**
	 * Wraps a message received from a JetStream consumer.
	 * @param message the jnats message
	 * @param subjects strips the namespace from its subject
	 * @param converter converts its payload
	 * @return the message
	 * @throws IllegalArgumentException when it is not a JetStream message
	 */
	public static JetStreamMessage of(Message message, NatsSubjectResolver subjects, NatsMessageConverter converter) {
		if (!message.isJetStream()) {
			throw new IllegalArgumentException(
					"The message on '" + message.getSubject() + "' is not a JetStream message");
		}
		return new JetStreamMessage(NatsMessage.received(message, subjects, converter), message);
	}

	/**
	 * Wraps a received JetStream message whose view is already converted.
	 * @param message the message as natsboot sees it (subject without namespace, headers)
	 * @param nativeMessage the jnats message, which acknowledges
	 */
	public JetStreamMessage(NatsMessage message, Message nativeMessage) {
		this.message = message;
		this.nativeMessage = nativeMessage;
		this.metaData = nativeMessage.metaData();
	}

	/**
	 * The message: subjects, payload, headers.
	 * @return the message
	 */
	public NatsMessage message() {
		return this.message;
	}

	/**
	 * The payload converted to a type.
	 * @param <T> the type
	 * @param type the type
	 * @return the converted payload
	 */
	public <T> @Nullable T payloadAs(Class<T> type) {
		return this.message.payloadAs(type);
	}

	/**
	 * The stream the message is stored in.
	 * @return the stream name
	 */
	public String stream() {
		return this.metaData.getStream();
	}

	/**
	 * The consumer the message was delivered to.
	 * @return the consumer name
	 */
	public String consumer() {
		return this.metaData.getConsumer();
	}

	/**
	 * The message's sequence in its stream.
	 * @return the stream sequence
	 */
	public long streamSequence() {
		return this.metaData.streamSequence();
	}

	/**
	 * How often the server has delivered this message to the consumer (1 on the first
	 * delivery). Naks and redeliveries raise it.
	 * @return the delivery count
	 */
	public long deliveredCount() {
		return this.metaData.deliveredCount();
	}

	/**
	 * Messages still pending for the consumer after this one.
	 * @return the pending count
	 */
	public long pendingCount() {
		return this.metaData.pendingCount();
	}

	/**
	 * When the message was stored.
	 * @return the time
	 */
	public ZonedDateTime storedAt() {
		return this.metaData.timestamp();
	}

	/**
	 * Acknowledges the message: done, never redelivered.
	 */
	@Override
	public void ack() {
		if (this.acknowledged.compareAndSet(false, true)) {
			this.nativeMessage.ack();
		}
	}

	/**
	 * Acknowledges and waits for the server to confirm.
	 * @param timeout how long to wait
	 */
	public void ackSync(Duration timeout) {
		if (!this.acknowledged.compareAndSet(false, true)) {
			return;
		}
		try {
			this.nativeMessage.ackSync(timeout);
		}
		catch (TimeoutException ex) {
			throw new NatsException("The server did not confirm the ack of " + this + " within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while acknowledging " + this, ex);
		}
	}

	/**
	 * Negatively acknowledges: redeliver now.
	 */
	@Override
	public void nak() {
		if (this.acknowledged.compareAndSet(false, true)) {
			this.nativeMessage.nak();
		}
	}

	/**
	 * Negatively acknowledges: redeliver after a delay.
	 * @param delay the delay
	 */
	@Override
	public void nakWithDelay(Duration delay) {
		if (this.acknowledged.compareAndSet(false, true)) {
			this.nativeMessage.nakWithDelay(delay);
		}
	}

	/**
	 * Tells the server the message is still being worked on, resetting its ack wait.
	 */
	@Override
	public void inProgress() {
		if (!this.acknowledged.get()) {
			this.nativeMessage.inProgress();
		}
	}

	/**
	 * Terminates the message: never redelivered, not acknowledged as done.
	 */
	@Override
	public void term() {
		if (this.acknowledged.compareAndSet(false, true)) {
			this.nativeMessage.term();
		}
	}

	@Override
	public boolean isAcknowledged() {
		return this.acknowledged.get();
	}

	/**
	 * The jnats message.
	 * @return the message
	 */
	public Message nativeMessage() {
		return this.nativeMessage;
	}

	@Override
	public String toString() {
		return "JetStreamMessage{stream=" + stream() + ", sequence=" + streamSequence() + ", subject="
				+ this.message.subject() + ", delivered=" + deliveredCount() + "}";
	}

}
