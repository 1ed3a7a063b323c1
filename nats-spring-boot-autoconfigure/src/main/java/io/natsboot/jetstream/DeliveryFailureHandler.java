package io.natsboot.jetstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.natsboot.core.NatsMetricsRecorder;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Decides what happens to a message whose handler failed: redelivery after the retry back-off
 * ({@code nakWithDelay}), or, after the consumer's max deliveries, for a non-retryable failure or
 * when the back-off stops, a dead letter (stored first, then the original is terminated; when it
 * cannot be stored the original is kept and delivered again).
 */
final class DeliveryFailureHandler {

	private static final LogAccessor logger = new LogAccessor(DeliveryFailureHandler.class);

	/** How long a message that could not be dead-lettered waits before it is delivered again. */
	private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(5);

	private final PullWorkerSettings settings;

	private final DeadLetterPublishingRecoverer recoverer;

	private final NatsMetricsRecorder metrics;

	private final AtomicLong deadLettered = new AtomicLong();

	DeliveryFailureHandler(PullWorkerSettings settings, DeadLetterPublishingRecoverer recoverer,
			NatsMetricsRecorder metrics) {
		this.settings = settings;
		this.recoverer = recoverer;
		this.metrics = metrics;
	}

	void onFailure(JetStreamMessage message, Throwable failure) {
		if (message.isAcknowledged() && failure instanceof InterruptedException) {
			logger.debug(() -> "Worker '" + this.settings.id() + "': handler of released " + message + " interrupted");
			return;
		}
		if (message.isAcknowledged()) {
			logger.error(failure, () -> "Worker '" + this.settings.id() + "': handler failed on " + message
					+ " after acknowledging it");
			return;
		}
		long attempts = message.deliveredCount();
		long maxDeliver = this.settings.maxDeliver();
		String reason = null;
		long delay = BackOffExecution.STOP;
		if (this.settings.nonRetryable().test(failure)) {
			reason = "it cannot succeed on a retry";
		}
		else if (maxDeliver > 0 && attempts >= maxDeliver) {
			reason = "it failed " + attempts + " of at most " + maxDeliver + " deliveries";
		}
		else {
			delay = DelaySequenceBackOff.delayAfter(this.settings.retryBackOff(), attempts);
			if (delay == BackOffExecution.STOP) {
				reason = "the retry back-off gave up after " + attempts + " attempts";
			}
		}
		if (reason == null) {
			Duration wait = Duration.ofMillis(delay);
			logger.warn(() -> "Worker '" + this.settings.id() + "': " + message + " failed (attempt " + attempts
					+ ((maxDeliver > 0) ? " of " + maxDeliver : "") + "): " + rootMessage(failure) + "; retrying in "
					+ wait);
			logger.debug(failure, "Failure");
			message.nakWithDelay(wait);
			return;
		}
		deadLetter(message, failure, reason);
	}

	private void deadLetter(JetStreamMessage message, Throwable failure, String reason) {
		String subject = this.settings.deadLetterSubject();
		if (subject == null) {
			message.term();
			logger.error(failure, () -> "Worker '" + this.settings.id() + "': " + message + " dropped because " + reason
					+ " and no dead-letter subject is set");
			return;
		}
		boolean duplicate;
		try {
			duplicate = this.recoverer.recover(DeadLetter.of(message, failure), subject).isDuplicate();
		}
		catch (RuntimeException publishFailure) {
			logger.error(publishFailure, () -> "Worker '" + this.settings.id() + "': " + message
					+ " could not be dead-lettered; it stays in the stream and is delivered again");
			message.nakWithDelay(DEAD_LETTER_RETRY);
			return;
		}
		message.term();
		if (!duplicate) {
			countDeadLetter();
		}
		logger.error(failure, () -> "Worker '" + this.settings.id() + "': " + message + " moved to dead letters on '"
				+ subject + "' because " + reason + ": " + rootMessage(failure));
	}

	void countDeadLetter() {
		this.deadLettered.incrementAndGet();
		this.metrics.deadLettered(this.settings.id());
	}

	long deadLettered() {
		return this.deadLettered.get();
	}

	static String rootMessage(Throwable failure) {
		return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
	}

}
