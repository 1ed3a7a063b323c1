package io.natsboot.jetstream;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import io.nats.client.support.JsonValueUtils;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The backstop for messages whose handler never returns (it kills or hangs its worker
 * every time): when the server gives up on such a message it publishes the
 * {@code MAX_DELIVERIES} advisory, and this listener reads the message from the stream
 * and dead-letters it (and deletes it from a work-queue stream, which would keep it
 * forever). Instances of one durable listen in a queue group, so one of them handles each
 * advisory.
 */
final class MaxDeliveriesAdvisoryListener {

	/**
	 * The prefix of the advisory the server sends when a message reached its max
	 * deliveries.
	 */
	static final String SUBJECT_PREFIX = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.";

	/** The exception class recorded in dead letters found through the advisory. */
	static final String EXCEPTION = "io.natsboot.jetstream.MaxDeliveriesExceeded";

	private static final LogAccessor logger = new LogAccessor(MaxDeliveriesAdvisoryListener.class);

	private static final int ATTEMPTS = 3;

	private final PullWorkerSettings settings;

	private final Connection connection;

	private final JetStreamOptions options;

	private final DeadLetterPublishingRecoverer recoverer;

	private final DeliveryFailureHandler failures;

	private volatile boolean workQueue;

	private volatile @Nullable Dispatcher dispatcher;

	MaxDeliveriesAdvisoryListener(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			DeadLetterPublishingRecoverer recoverer, DeliveryFailureHandler failures) {
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.recoverer = recoverer;
		this.failures = failures;
	}

	synchronized void listen(boolean workQueue) {
		this.workQueue = workQueue;
		if (this.dispatcher != null || this.settings.deadLetterSubject() == null) {
			return;
		}
		Dispatcher created = this.connection.createDispatcher(this::onAdvisory);
		for (String consumer : this.settings.consumerNames()) {
			created.subscribe(SUBJECT_PREFIX + this.settings.stream() + "." + consumer,
					"natsboot-dead-letters-" + consumer);
		}
		this.dispatcher = created;
	}

	synchronized void close() {
		Dispatcher current = this.dispatcher;
		this.dispatcher = null;
		if (current != null) {
			try {
				this.connection.closeDispatcher(current);
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Could not close the advisory subscription");
			}
		}
	}

	private void onAdvisory(Message advisory) throws InterruptedException {
		String subject = this.settings.deadLetterSubject();
		if (subject == null) {
			return;
		}
		JsonValue json = JsonParser.parseUnchecked(advisory.getData());
		long sequence = JsonValueUtils.readLong(json, "stream_seq", 0);
		long deliveries = JsonValueUtils.readLong(json, "deliveries", 0);
		String consumer = JsonValueUtils.readString(json, "consumer", this.settings.consumerName());
		// the advisory comes once: try a few times before giving up on it
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try {
				deadLetter(subject, consumer, sequence, deliveries);
				return;
			}
			catch (Exception ex) {
				if (attempt == ATTEMPTS) {
					logger.error(ex,
							() -> "Worker '" + this.settings.id() + "' could not dead-letter message " + sequence
									+ " of stream '" + this.settings.stream() + "', which reached its max deliveries");
				}
				else {
					Thread.sleep(1000L * attempt);
				}
			}
		}
	}

	private void deadLetter(String subject, String consumer, long sequence, long deliveries) throws Exception {
		JetStreamManagement management = this.connection.jetStreamManagement(this.options);
		MessageInfo stored;
		try {
			stored = management.getMessage(this.settings.stream(), sequence);
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.NO_MESSAGE_FOUND) {
				return; // acknowledged or removed meanwhile
			}
			throw ex;
		}
		boolean duplicate = this.recoverer.recover(new DeadLetter(stored.getSubject(), stored.getData(),
				stored.getHeaders(), this.settings.stream(), sequence, consumer, deliveries, stored.getTime(),
				EXCEPTION,
				"delivered " + deliveries
						+ " times without an acknowledgement: its handler never returned (the worker died or hung)"),
				subject)
			.isDuplicate();
		if (this.workQueue) {
			try {
				management.deleteMessage(this.settings.stream(), sequence);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.NO_MESSAGE_FOUND) {
					throw ex;
				}
			}
		}
		if (!duplicate) {
			this.failures.countDeadLetter();
			logger.error(() -> "Worker '" + this.settings.id() + "': message " + sequence + " of stream '"
					+ this.settings.stream() + "' was delivered " + deliveries
					+ " times without an acknowledgement; moved to dead letters on '" + subject + "'");
		}
	}

}
