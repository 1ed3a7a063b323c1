package io.natsboot.jetstream;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeoutException;

import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message pulled from a JetStream consumer, with its stream position, its delivery count and
 * the acknowledgement verbs. Until it is acknowledged, the server redelivers it after the
 * consumer's ack wait.
 */
public final class JetStreamMessage {

	private final NatsMessage message;

	private final Message nativeMessage;

	private final NatsJetStreamMetaData metaData;

	JetStreamMessage(NatsMessage message, Message nativeMessage) {
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
	 * The message's sequence in its stream.
	 * @return the stream sequence
	 */
	public long streamSequence() {
		return this.metaData.streamSequence();
	}

	/**
	 * How often the server has delivered this message to the consumer (1 on the first delivery).
	 * Naks and redeliveries raise it.
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
	public void ack() {
		this.nativeMessage.ack();
	}

	/**
	 * Acknowledges and waits for the server to confirm.
	 * @param timeout how long to wait
	 */
	public void ackSync(Duration timeout) {
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
	public void nak() {
		this.nativeMessage.nak();
	}

	/**
	 * Negatively acknowledges: redeliver after a delay.
	 * @param delay the delay
	 */
	public void nakWithDelay(Duration delay) {
		this.nativeMessage.nakWithDelay(delay);
	}

	/**
	 * Tells the server the message is still being worked on, resetting its ack wait.
	 */
	public void inProgress() {
		this.nativeMessage.inProgress();
	}

	/**
	 * Terminates the message: never redelivered, not acknowledged as done.
	 */
	public void term() {
		this.nativeMessage.term();
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
