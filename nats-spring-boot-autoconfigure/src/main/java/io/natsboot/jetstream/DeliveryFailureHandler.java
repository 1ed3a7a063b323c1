package io.natsboot.jetstream;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Decides what happens to a message whose handler failed: redelivery after the retry
 * back-off ({@code nakWithDelay}), or, after the consumer's max deliveries, for a
 * non-retryable failure or when the back-off stops, a dead letter (stored first, then the
 * original is terminated; when it cannot be stored the original is kept and delivered
 * again).
 */
final class DeliveryFailureHandler {

	private static final LogAccessor logger = new LogAccessor(DeliveryFailureHandler.class);

	/**
	 * How long a message that could not be dead-lettered waits before it is delivered
	 * again.
	 */
	private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(5);

	private final PullWorkerSettings settings;

	private final DeadLetterPublishingRecoverer recoverer;

	private final PullWorkerMetrics metrics;

	private final AtomicLong deadLettered = new AtomicLong();

	/**
	 * Keeps messages whose dead letter could not be stored at their last delivery;
	 * created when needed.
	 */
	private @Nullable ScheduledExecutorService keeper;

	DeliveryFailureHandler(PullWorkerSettings settings, DeadLetterPublishingRecoverer recoverer,
			PullWorkerMetrics metrics) {
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
					+ ((maxDeliver > 0) ? " of " + maxDeliver : "") + "): " + NatsFailures.rootMessage(failure)
					+ "; retrying in " + wait);
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
		DeadLetter letter = DeadLetter.of(message, failure);
		boolean duplicate;
		try {
			duplicate = this.recoverer.recover(letter, subject).isDuplicate();
		}
		catch (RuntimeException publishFailure) {
			long maxDeliver = this.settings.maxDeliver();
			if (maxDeliver > 0 && message.deliveredCount() >= maxDeliver) {
				// the server delivers it no more: keep it in hand, off the handler's
				// thread, until the dead-letter stream takes it
				keepUntilDeadLettered(message, letter, subject, publishFailure, reason);
				return;
			}
			else {
				logger.error(publishFailure, () -> "Worker '" + this.settings.id() + "': " + message
						+ " could not be dead-lettered; it stays in the stream and is delivered again");
				message.nakWithDelay(DEAD_LETTER_RETRY);
				return;
			}
		}
		message.term();
		if (!duplicate) {
			countDeadLetter();
		}
		if (this.settings.nonRetryable().test(failure)) {
			// the message is at fault (a listener cannot read it): the failure's own
			// message names what could not be read as what; its stack trace is for DEBUG
			logger
				.error(() -> "Worker '" + this.settings.id() + "': " + message + " moved to dead letters on '" + subject
						+ "' because " + reason + ": " + NatsFailures.oneLine(String.valueOf(failure.getMessage())));
			logger.debug(failure, () -> "Worker '" + this.settings.id() + "': the failure of " + message);
			return;
		}
		logger.error(failure, () -> "Worker '" + this.settings.id() + "': " + message + " moved to dead letters on '"
				+ subject + "' because " + reason + ": " + NatsFailures.rootMessage(failure));
	}

	/**
	 * Keeps a message whose dead letter could not be stored at its last delivery: every
	 * few seconds it is reported in progress (so the server keeps it ours) and the dead
	 * letter is tried again, until it is stored and the original terminated. Runs on a
	 * thread of its own, so the worker consumes on meanwhile.
	 */
	private void keepUntilDeadLettered(JetStreamMessage message, DeadLetter letter, String subject,
			RuntimeException firstFailure, String reason) {
		logger.error(firstFailure,
				() -> "Worker '" + this.settings.id() + "': " + message + " could not be dead-lettered"
						+ " at its last delivery; it is kept and tried again every " + keepInterval().toSeconds()
						+ " s");
		ScheduledExecutorService keeper;
		synchronized (this) {
			if (this.keeper == null) {
				this.keeper = Executors
					.newSingleThreadScheduledExecutor(NatsThreads.daemon("nats-dead-letter-" + this.settings.id()));
			}
			keeper = this.keeper;
		}
		Runnable[] attempt = new Runnable[1];
		attempt[0] = () -> {
			try {
				message.inProgress();
				boolean duplicate = this.recoverer.recover(letter, subject).isDuplicate();
				message.term();
				if (!duplicate) {
					countDeadLetter();
				}
				logger.error(() -> "Worker '" + this.settings.id() + "': " + message + " moved to dead letters on '"
						+ subject + "' because " + reason);
			}
			catch (RuntimeException ex) {
				logger.debug(ex,
						() -> "Worker '" + this.settings.id() + "': " + message + " still cannot be dead-lettered");
				try {
					keeper.schedule(attempt[0], keepInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException stopped) {
					logger.warn(() -> "Worker '" + this.settings.id() + "' stopped before " + message
							+ " was dead-lettered");
				}
			}
		};
		keeper.schedule(attempt[0], keepInterval().toMillis(), TimeUnit.MILLISECONDS);
	}

	/** How often a kept message is reported in progress: well inside its ack wait. */
	private Duration keepInterval() {
		Duration half = this.settings.ackWait().dividedBy(2);
		return (half.compareTo(DEAD_LETTER_RETRY) < 0) ? half : DEAD_LETTER_RETRY;
	}

	/**
	 * Stops keeping messages whose dead letters could not be stored; they stay
	 * unacknowledged.
	 */
	void close() {
		ScheduledExecutorService current;
		synchronized (this) {
			current = this.keeper;
			this.keeper = null;
		}
		if (current != null) {
			current.shutdownNow();
		}
	}

	void countDeadLetter() {
		this.deadLettered.incrementAndGet();
		this.metrics.deadLettered(this.settings.id());
	}

	long deadLettered() {
		return this.deadLettered.get();
	}

}
