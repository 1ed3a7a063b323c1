package io.natsboot.jetstream;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsPayloadLimit;

/**
 * Publishes messages that failed for good to a dead-letter subject with JetStream, so a
 * stream keeps them: the original payload and headers plus {@code Dead-Letter-*} headers
 * that say where the message came from and why it failed. Publishing is idempotent per
 * stream, consumer and sequence ({@code Nats-Msg-Id}), so two instances that give up on
 * the same message store one dead letter. Shared by durable listeners and the task queue.
 * A publish that meets a leader election is repeated for a few seconds under the same id;
 * after that the caller keeps the original and tries again later, so an unavailable
 * dead-letter stream delays dead letters but never holds up consumption for long.
 */
public class DeadLetterPublishingRecoverer {

	/** Header: class name of the last failure. */
	public static final String EXCEPTION_HEADER = "Dead-Letter-Exception";

	/** Header: message of the last failure (one line, at most 512 characters). */
	public static final String MESSAGE_HEADER = "Dead-Letter-Message";

	/** Header: how often the message was delivered or run. */
	public static final String ATTEMPTS_HEADER = "Dead-Letter-Attempts";

	/** Header: the subject the message was stored under. */
	public static final String SUBJECT_HEADER = "Dead-Letter-Subject";

	/** Header: the stream the message came from. */
	public static final String STREAM_HEADER = "Dead-Letter-Stream";

	/** Header: the message's sequence in that stream. */
	public static final String SEQUENCE_HEADER = "Dead-Letter-Sequence";

	/** Header: the consumer that gave up on the message. */
	public static final String CONSUMER_HEADER = "Dead-Letter-Consumer";

	/** Header: when the original was stored (RFC 3339, UTC). */
	public static final String STORED_AT_HEADER = "Dead-Letter-Stored-At";

	/** Header: when the message was dead-lettered (RFC 3339, UTC). */
	public static final String FAILED_AT_HEADER = "Dead-Letter-Failed-At";

	private final Connection connection;

	/**
	 * The longest a dead letter waits for an election: the original is kept and comes
	 * again anyway.
	 */
	private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

	private final JetStreamOptions options;

	private final FailoverRetry retry;

	/**
	 * Whether a header of a dead letter is the original message's: not one of the
	 * {@code Dead-Letter-*} headers added here, nor one of the server's {@code Nats-*}
	 * ones. What goes back to the original subject, when a dead letter is re-published or
	 * re-queued.
	 * @param name the header's name
	 * @return true for the original message's headers
	 */
	public static boolean isOriginalHeader(String name) {
		return !name.startsWith("Dead-Letter-") && !name.regionMatches(true, 0, "Nats-", 0, 5);
	}

	/**
	 * Creates a recoverer that does not repeat failed publishes.
	 * @param connection the connection to publish on
	 * @param options the JetStream domain, prefix and timeout
	 */
	public DeadLetterPublishingRecoverer(Connection connection, JetStreamOptions options) {
		this(connection, options, FailoverRetry.NONE);
	}

	/**
	 * Creates the recoverer.
	 * @param connection the connection to publish on
	 * @param options the JetStream domain, prefix and timeout
	 * @param retry how a publish is repeated through a leader election
	 */
	public DeadLetterPublishingRecoverer(Connection connection, JetStreamOptions options, FailoverRetry retry) {
		this.connection = connection;
		this.options = options;
		this.retry = retry;
	}

	/**
	 * The retry for dead letters under a fail-over timeout: at most a few seconds,
	 * because the original is kept and delivered again when the dead letter cannot be
	 * stored.
	 * @param failoverTimeout {@code nats.jetstream.failover-timeout}
	 * @return the retry
	 */
	public static FailoverRetry retryWithin(Duration failoverTimeout) {
		return new FailoverRetry((failoverTimeout.compareTo(LONGEST_RETRY) < 0) ? failoverTimeout : LONGEST_RETRY);
	}

	/**
	 * Publishes a dead letter and waits for a stream to store it.
	 * @param letter the failed message
	 * @param deadLetterSubject the full subject to publish to (a stream must store it),
	 * or what {@link #subjectFor} makes the subject of
	 * @return the dead-letter stream's acknowledgement
	 * @throws NatsJetStreamException when no stream stored the dead letter; the caller
	 * must then keep the original
	 */
	public PublishAck recover(DeadLetter letter, String deadLetterSubject) {
		String subject = subjectFor(letter, deadLetterSubject);
		Headers headers = new Headers();
		if (letter.headers() != null) {
			// Nats-* headers instruct the server (dedupe, expectations, TTL): not for the
			// copy
			letter.headers()
				.entrySet()
				.stream()
				.filter((entry) -> !entry.getKey().regionMatches(true, 0, "Nats-", 0, 5))
				.forEach((entry) -> headers.put(entry.getKey(), entry.getValue()));
		}
		headers.put(EXCEPTION_HEADER, headerValue(letter.exceptionClass()));
		headers.put(MESSAGE_HEADER, headerValue(letter.exceptionMessage()));
		headers.put(ATTEMPTS_HEADER, String.valueOf(letter.attempts()));
		headers.put(SUBJECT_HEADER, letter.subject());
		headers.put(STREAM_HEADER, letter.stream());
		headers.put(SEQUENCE_HEADER, String.valueOf(letter.sequence()));
		headers.put(CONSUMER_HEADER, letter.consumer());
		if (letter.storedAt() != null) {
			headers.put(STORED_AT_HEADER, DateTimeFormatter.ISO_INSTANT.format(letter.storedAt().toInstant()));
		}
		headers.put(FAILED_AT_HEADER, DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
		long maxPayload = this.connection.getMaxPayload();
		if (maxPayload > 0 && letter.headers() != null && NatsPayloadLimit.sizeOf(headers, letter.payload())
				+ NatsPayloadLimit.JETSTREAM_HEADERS > maxPayload) {
			// the original filled the server's max_payload: the dead letter keeps its
			// payload and why it failed, without the original headers (a message over the
			// limit would close the connection)
			letter.headers().keySet().forEach(headers::remove);
			headers.put(EXCEPTION_HEADER, headerValue(letter.exceptionClass()));
			headers.put(MESSAGE_HEADER, headerValue(letter.exceptionMessage()));
		}
		NatsPayloadLimit.checkJetStream(this.connection,
				() -> "dead letter of message " + letter.sequence() + " of stream '" + letter.stream() + "'", headers,
				letter.payload());
		PublishOptions publishOptions = PublishOptions.builder()
			.messageId("dead:" + letter.stream() + ":" + letter.consumer() + ":" + letter.sequence())
			.build();
		String action = "dead-letter message " + letter.sequence() + " of stream '" + letter.stream() + "' to '"
				+ subject + "'";
		try {
			return this.retry.call(action, () -> this.connection.jetStream(this.options)
				.publish(subject, headers, letter.payload(), publishOptions));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsJetStreamException("Interrupted while trying to " + action, 0, ex);
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException("Cannot " + action + ": " + ex.getErrorDescription(), ex.getApiErrorCode(),
					ex);
		}
		catch (Exception ex) {
			if (ex instanceof NatsException natsException) {
				throw natsException;
			}
			throw new NatsJetStreamException(
					"Cannot " + action + " (is there a stream for that subject?): " + ex.getMessage(), 0, ex);
		}
	}

	/**
	 * The subject a dead letter is published to. This one publishes to the subject it is
	 * given; the task queue's files each task under its own id below its queue's subject
	 * (whichever part of the worker gave up on it), so one dead letter is read without
	 * reading the others.
	 * @param letter the failed message
	 * @param deadLetterSubject the subject the caller names
	 * @return the full subject to publish to (a stream must store it)
	 */
	protected String subjectFor(DeadLetter letter, String deadLetterSubject) {
		return deadLetterSubject;
	}

	private static String headerValue(String text) {
		String value = NatsMessage.toHeaderValue(text);
		return value.isEmpty() ? "-" : value;
	}

}
