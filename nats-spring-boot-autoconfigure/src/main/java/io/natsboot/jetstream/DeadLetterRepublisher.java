package io.natsboot.jetstream;

import java.io.IOException;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsJetStreamException;

/**
 * Sends a durable listener's dead letter back to the subject it failed on, so its stream
 * stores it again and the listener gets it again, then removes the dead letter. Every
 * consumer of that stream whose filter matches gets it again, not only the one that
 * failed. The message keeps its own headers
 * ({@link DeadLetterPublishingRecoverer#isOriginalHeader}), and its message id names the
 * dead letter, so that re-publishing it twice stores it once.
 */
public class DeadLetterRepublisher {

	private final Connection connection;

	private final JetStreamOptions options;

	/**
	 * Creates the republisher.
	 * @param connection the connection
	 * @param options the JetStream options (prefix, domain, timeout)
	 */
	public DeadLetterRepublisher(Connection connection, JetStreamOptions options) {
		this.connection = connection;
		this.options = options;
	}

	/**
	 * Re-publishes one dead letter.
	 * @param stream the dead-letter stream's full name
	 * @param sequence the dead letter's sequence there
	 * @return the ack of the re-published message
	 * @throws IllegalArgumentException when there is no dead letter at that sequence, or
	 * it names no original subject
	 */
	public Republished republish(String stream, long sequence) {
		String what = "dead letter " + sequence + " of stream '" + stream + "'";
		try {
			JetStreamManagement management = this.connection.jetStreamManagement(this.options);
			MessageInfo letter = StreamPager.messageAt(management, stream, sequence);
			if (letter == null) {
				throw new IllegalArgumentException("There is no " + what);
			}
			Headers stored = letter.getHeaders();
			String subject = (stored != null) ? stored.getFirst(DeadLetterPublishingRecoverer.SUBJECT_HEADER) : null;
			if (subject == null || subject.isBlank()) {
				throw new IllegalArgumentException("The " + what + " names no original subject (no "
						+ DeadLetterPublishingRecoverer.SUBJECT_HEADER + " header)");
			}
			Headers headers = new Headers();
			stored.forEach((name, values) -> {
				if (DeadLetterPublishingRecoverer.isOriginalHeader(name)) {
					headers.put(name, values);
				}
			});
			// one message however often it is re-published (two operators, a double
			// click), within the stream's duplicate window
			PublishAck ack = this.connection.jetStream(this.options)
				.publish(subject, headers, letter.getData(),
						PublishOptions.builder().messageId("dead-letter-" + stream + "-" + sequence).build());
			management.deleteMessage(stream, sequence);
			return new Republished(sequence, subject, ack.getStream(), ack.getSeqno());
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException("Cannot re-publish the " + what + ": " + ex.getErrorDescription(),
					ex.getApiErrorCode(), ex);
		}
		catch (IOException ex) {
			throw new NatsException("Cannot re-publish the " + what + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * A re-published dead letter.
	 *
	 * @param deadLetterSequence its sequence in the dead-letter stream (now removed)
	 * @param subject the subject it was published to
	 * @param stream the stream that stored it
	 * @param sequence its sequence there
	 */
	public record Republished(long deadLetterSequence, String subject, String stream, long sequence) {
	}

}
