package io.natsboot.jetstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.natsboot.core.JetStreamMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The messages a {@link JetStreamPullWorker} is handling: it reports those running longer
 * than half the ack wait in progress (up to the max processing time, past which the
 * server delivers them again), names a handler that hangs, and releases what still runs
 * when the worker stops. Handler threads add and remove messages; the heartbeat thread
 * and health read them.
 */
final class InFlightTracker {

	// logs under the worker's name, which is what users configure
	private static final LogAccessor logger = new LogAccessor(JetStreamPullWorker.class);

	private final PullWorkerSettings settings;

	private final @Nullable ReleaseListener releaseListener;

	/**
	 * Messages being handled, with when they were delivered and last reported in
	 * progress.
	 */
	private final Map<JetStreamMessage, InFlight> inFlight = new ConcurrentHashMap<>();

	/**
	 * Creates a tracker.
	 * @param settings the worker's ack wait and max processing time
	 * @param releaseListener told of each message released at stop, or null
	 */
	InFlightTracker(PullWorkerSettings settings, @Nullable ReleaseListener releaseListener) {
		this.settings = settings;
		this.releaseListener = releaseListener;
	}

	/**
	 * A message is delivered and waits for a handler: from now on it gets heartbeats, so
	 * waiting never costs it its ack wait.
	 */
	void received(JetStreamMessage message) {
		this.inFlight.put(message, new InFlight(System.nanoTime()));
	}

	/**
	 * A handler starts on the message: the max processing time counts from now (a message
	 * not received before starts its heartbeats now).
	 */
	void started(JetStreamMessage message) {
		long now = System.nanoTime();
		this.inFlight.computeIfAbsent(message, (key) -> new InFlight(now)).startedAt = now;
	}

	/** The message is settled (or given back): no more heartbeats. */
	void finished(JetStreamMessage message) {
		this.inFlight.remove(message);
	}

	/**
	 * How many messages are in hand: waiting for a handler, running, or finishing.
	 * @return the count
	 */
	int size() {
		return this.inFlight.size();
	}

	/**
	 * Reports messages in progress whose last report is half an ack wait old; run on the
	 * heartbeat thread.
	 */
	void sendHeartbeats() {
		long now = System.nanoTime();
		long threshold = this.settings.ackWait().toNanos() / 2;
		long limit = this.settings.maxProcessingTime().toNanos();
		this.inFlight.forEach((message, inFlight) -> {
			if (now - inFlight.touched < threshold || message.isAcknowledged()) {
				return;
			}
			if (now - inFlight.limitedFrom() > limit) {
				if (!inFlight.abandoned) {
					inFlight.abandoned = true;
					String what = (inFlight.startedAt != 0) ? "the handler of " + message + " runs"
							: message + " waits for a handler";
					logger.warn(() -> "Worker '" + this.settings.id() + "': " + what + " longer than "
							+ this.settings.maxProcessingTime()
							+ "; no more heartbeats, so the server delivers it again");
				}
				return;
			}
			try {
				message.inProgress();
				inFlight.touched = now;
			}
			catch (RuntimeException ex) {
				logger.debug(ex, () -> "Could not report " + message + " in progress");
			}
		});
	}

	/**
	 * Why a handler counts as hung, or null.
	 * @return what runs longer than the max processing time, or null when nothing does
	 */
	@Nullable String hungHandler() {
		long limit = this.settings.maxProcessingTime().toNanos();
		long now = System.nanoTime();
		for (Map.Entry<JetStreamMessage, InFlight> entry : this.inFlight.entrySet()) {
			if (entry.getValue().startedAt != 0 && now - entry.getValue().startedAt > limit) {
				return "the handler of " + entry.getKey() + " runs longer than " + this.settings.maxProcessingTime();
			}
		}
		return null;
	}

	/**
	 * Gives every message still in hand and not acknowledged back to the server (nak),
	 * for other workers.
	 */
	void releaseAll() {
		int released = 0;
		for (JetStreamMessage message : this.inFlight.keySet()) {
			if (!message.isAcknowledged()) {
				if (this.releaseListener != null) {
					try {
						this.releaseListener.released(message);
					}
					catch (RuntimeException ex) {
						logger.warn(ex, () -> "Worker '" + this.settings.id() + "' could not prepare the release of "
								+ message);
					}
				}
				try {
					message.nak();
					released++;
				}
				catch (RuntimeException ex) {
					logger.debug(ex, () -> "Could not release " + message);
				}
			}
		}
		if (released > 0) {
			int count = released;
			logger.warn(() -> "Worker '" + this.settings.id() + "' released " + count
					+ " message(s) still running after the drain timeout to other workers");
		}
	}

	/**
	 * When a message in hand was delivered, when its handler started and when it was last
	 * reported in progress.
	 */
	private static final class InFlight {

		final long since;

		/** When its handler started (System.nanoTime), or 0 while it waits for one. */
		volatile long startedAt;

		volatile long touched;

		volatile boolean abandoned;

		InFlight(long since) {
			this.since = since;
			this.touched = since;
		}

		/**
		 * Where the max processing time counts from: the handler's start, or the delivery
		 * while the message waits (a message held behind a hung handler is given up too).
		 */
		long limitedFrom() {
			long started = this.startedAt;
			return (started != 0) ? started : this.since;
		}

	}

}
