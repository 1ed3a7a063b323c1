package io.natsboot.jetstream;

import java.io.IOException;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.ConsumerInfo;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsPermissionException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Reads a {@link JetStreamPullWorker}'s consumers' status every status interval, on the
 * pull thread: their figures (lag, ack pending, redelivered) for health and metrics,
 * whether a consumer is gone (then the worker sets it up again), and whether they answer
 * at all: a consumer without a leader (no quorum, a node lost) never ends a pull early,
 * so an unanswered status request is how a stall shows.
 */
final class ConsumerStatusRefresher {

	// logs under the worker's name, which is what users configure
	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	private final PullWorkerSettings settings;

	private final Connection connection;

	private final JetStreamOptions options;

	private final NatsExceptionTranslator translator;

	/** The latest figures of each consumer, in the settings' order. */
	private final ConsumerInfo[] lastInfos;

	private volatile long nextStatusNanos;

	/** Why the consumer's status could not be read at the latest refreshes, or null. */
	private volatile @Nullable String unanswered;

	/** When every consumer last answered a refresh (System.nanoTime), or 0. */
	private volatile long answeredAtNanos;

	/**
	 * Creates a refresher.
	 * @param settings the worker's stream, consumers and status interval
	 * @param connection the connection
	 * @param options the JetStream domain, prefix and timeout
	 * @param translator the connection's record of refused permissions
	 */
	ConsumerStatusRefresher(PullWorkerSettings settings, Connection connection, JetStreamOptions options,
			NatsExceptionTranslator translator) {
		this.settings = settings;
		this.connection = connection;
		this.options = options;
		this.translator = translator;
		this.lastInfos = new ConsumerInfo[settings.consumers().size()];
	}

	/**
	 * Whether a refresh is due; when it is, the next one is due a status interval from
	 * now.
	 * @return true when the status should be read now
	 */
	boolean due() {
		long now = System.nanoTime();
		if (now < this.nextStatusNanos) {
			return false;
		}
		this.nextStatusNanos = now + this.settings.statusInterval().toNanos();
		return true;
	}

	/**
	 * Makes the next refresh due at once: a stall must show before a quiet pull looks
	 * idle.
	 */
	void refreshSoon() {
		this.nextStatusNanos = 0;
	}

	/**
	 * Makes the next refresh due a status interval from now (the consumers were just set
	 * up).
	 */
	void refreshLater() {
		this.nextStatusNanos = System.nanoTime() + this.settings.statusInterval().toNanos();
	}

	/**
	 * Keeps a consumer's figures, as its creation or update returned them.
	 * @param consumer the consumer's index in the settings
	 * @param info its figures
	 */
	void record(int consumer, ConsumerInfo info) {
		this.lastInfos[consumer] = info;
	}

	/** Messages came: the consumer has a leader again. */
	void answered() {
		this.unanswered = null;
	}

	/**
	 * Why the consumers did not answer at the latest refresh.
	 * @return the reason, or null when they answered
	 */
	@Nullable String unanswered() {
		return this.unanswered;
	}

	/**
	 * Whether every consumer answered a refresh that started after a moment.
	 * @param nanos the moment (System.nanoTime)
	 * @return true when the latest figures are from after it
	 */
	boolean answeredSince(long nanos) {
		long answered = this.answeredAtNanos;
		return answered != 0 && answered - nanos > 0;
	}

	/**
	 * The messages the consumers had not delivered yet at the latest refresh.
	 * @return the sum of their pending counts
	 */
	long pending() {
		long pending = 0;
		for (ConsumerInfo info : latest()) {
			if (info != null) {
				pending += info.getNumPending();
			}
		}
		return pending;
	}

	/**
	 * The consumers' latest figures.
	 * @return a copy, in the settings' order, with null for a consumer never read
	 */
	ConsumerInfo[] latest() {
		return this.lastInfos.clone();
	}

	/**
	 * Reads every consumer's status.
	 * @param consumerGone called when a consumer (or its stream) is gone, so it is set up
	 * again
	 */
	void refresh(Runnable consumerGone) {
		List<String> names = this.settings.consumerNames();
		String noAnswer = null;
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			try {
				this.lastInfos[i] = this.connection.jetStreamManagement(this.options)
					.getConsumerInfo(this.settings.stream(), name);
			}
			catch (IOException | JetStreamApiException | RuntimeException ex) {
				if (FailoverRetry.isTransient(ex)) {
					NatsPermissionException refused = NatsExceptionTranslator.isNoAnswer(ex) ? this.translator
						.explainNoReply(this.connection, NatsPermissionException.Operation.JETSTREAM_API,
								"read consumer '" + name + "' of stream '" + this.settings.stream() + "'",
								this.translator.mark() - this.options.getRequestTimeout().toNanos()
										- JetStreamPullWorker.PULL_GRACE_NANOS,
								(subject) -> subject.contains(this.settings.stream()), ex)
							: null;
					noAnswer = (refused != null) ? refused.getMessage()
							: "consumer '" + name + "' of stream '" + this.settings.stream()
									+ "' does not answer (no leader, or its servers are down): "
									+ NatsFailures.rootMessage(ex);
					String why = noAnswer;
					logger.debug(ex, () -> "Worker '" + this.settings.id() + "': " + why);
				}
				else {
					statusFailed(name, ex, consumerGone);
				}
			}
		}
		if (noAnswer == null && this.unanswered != null) {
			logger.info(() -> "Worker '" + this.settings.id() + "': its consumer answers again");
		}
		else if (noAnswer != null && this.unanswered == null) {
			String why = noAnswer;
			logger.warn(() -> "Worker '" + this.settings.id() + "': " + why);
		}
		this.unanswered = noAnswer;
		if (noAnswer == null) {
			this.answeredAtNanos = System.nanoTime();
		}
	}

	private void statusFailed(String name, Exception failure, Runnable consumerGone) {
		if (failure instanceof JetStreamApiException ex && (ex.getApiErrorCode() == JetStreamErrors.CONSUMER_NOT_FOUND
				|| ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND)) {
			logger.warn(() -> "Worker '" + this.settings.id() + "': consumer '" + name + "' of stream '"
					+ this.settings.stream() + "' is gone (" + ex.getErrorDescription() + "); setting it up again");
			consumerGone.run();
			return;
		}
		logger.debug(failure, () -> "Worker '" + this.settings.id() + "' could not read its consumer's status");
	}

}
