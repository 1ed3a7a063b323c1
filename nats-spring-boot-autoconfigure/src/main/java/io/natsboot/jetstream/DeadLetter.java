package io.natsboot.jetstream;

import java.time.ZonedDateTime;

import io.nats.client.impl.Headers;
import io.natsboot.core.JetStreamMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message that failed for good, with what is known of its failure; published by the
 * {@link DeadLetterPublishingRecoverer}.
 *
 * @param subject the subject the message was stored under
 * @param payload the payload
 * @param headers the message's headers, or null
 * @param stream the stream it was stored in
 * @param sequence its sequence in that stream
 * @param consumer the consumer that gave up on it
 * @param attempts how often it was delivered (or, for tasks, run)
 * @param storedAt when it was stored, or null when unknown
 * @param exceptionClass the class name of the last failure
 * @param exceptionMessage the message of the last failure
 */
public record DeadLetter(String subject, byte[] payload, @Nullable Headers headers, String stream, long sequence,
		String consumer, long attempts, @Nullable ZonedDateTime storedAt, String exceptionClass,
		String exceptionMessage) {

	/**
	 * A dead letter for a pulled message whose handling failed.
	 * @param message the message
	 * @param failure why it failed
	 * @return the dead letter
	 */
	public static DeadLetter of(JetStreamMessage message, Throwable failure) {
		io.nats.client.Message nativeMessage = message.nativeMessage();
		return new DeadLetter(nativeMessage.getSubject(), message.message().payload(), nativeMessage.getHeaders(),
				message.stream(), message.streamSequence(), message.consumer(), message.deliveredCount(),
				message.storedAt(), failure.getClass().getName(), String.valueOf(failure.getMessage()));
	}

}
