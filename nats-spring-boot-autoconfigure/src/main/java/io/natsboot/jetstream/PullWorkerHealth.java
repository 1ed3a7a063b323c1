package io.natsboot.jetstream;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.api.ConsumerInfo;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link JetStreamPullWorker} is doing and how it went: its state, the latest
 * problem, failures in a row, counts; and from these, with the in-flight messages and the
 * consumers' status, the {@link PullWorkerStatus} it reports and why it is unhealthy. The
 * pull thread writes; any thread reads.
 */
final class PullWorkerHealth {

	/**
	 * How long a worker may wait for the connection (a fail-over takes well under this)
	 * before it is unhealthy.
	 */
	private static final long CONNECTION_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final PullWorkerSettings settings;

	private final InFlightTracker inFlight;

	private final ConsumerStatusRefresher consumerStatus;

	private final DeliveryFailureHandler failures;

	private final AtomicLong handled = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	/** Since when the worker waits for the connection (System.nanoTime), or 0. */
	private volatile long waitingSince;

	private volatile PullWorkerStatus.State state = PullWorkerStatus.State.STOPPED;

	private volatile @Nullable String problem;

	private volatile @Nullable Instant lastPullAt;

	/**
	 * Creates the health of a worker.
	 * @param settings the worker's id, stream, consumers and limits
	 * @param inFlight the messages in hand, to tell a hung handler
	 * @param consumerStatus the consumers' figures and whether they answer
	 * @param failures counts dead letters
	 */
	PullWorkerHealth(PullWorkerSettings settings, InFlightTracker inFlight, ConsumerStatusRefresher consumerStatus,
			DeliveryFailureHandler failures) {
		this.settings = settings;
		this.inFlight = inFlight;
		this.consumerStatus = consumerStatus;
		this.failures = failures;
	}

	/**
	 * @return what the worker does now
	 */
	PullWorkerStatus.State state() {
		return this.state;
	}

	/** A start: no failures, no problem. */
	void started() {
		this.consecutiveFailures.set(0);
		this.problem = null;
	}

	/** The last run drained. */
	void stopped() {
		this.state = PullWorkerStatus.State.STOPPED;
	}

	/** The connection is not ready: the wait is timed from its first round. */
	void waitingForConnection() {
		if (this.state != PullWorkerStatus.State.WAITING_FOR_CONNECTION) {
			this.waitingSince = System.nanoTime();
		}
		this.state = PullWorkerStatus.State.WAITING_FOR_CONNECTION;
	}

	/** The connection is ready. */
	void connectionReady() {
		this.waitingSince = 0;
	}

	/** The consumers are being set up. */
	void provisioning() {
		this.state = PullWorkerStatus.State.PROVISIONING;
	}

	/** A pull ended. */
	void pulled() {
		this.lastPullAt = Instant.now();
	}

	/** A handler returned. */
	void countHandled() {
		this.handled.incrementAndGet();
	}

	/** A handler failed. */
	void countFailed() {
		this.failed.incrementAndGet();
	}

	/**
	 * The worker is stalled.
	 * @param problem why
	 */
	void failing(String problem) {
		this.state = PullWorkerStatus.State.FAILING;
		this.problem = problem;
	}

	/**
	 * The server refused a pull.
	 * @param problem why
	 * @return whether it is the first failure in a row (to be logged)
	 */
	boolean refused(String problem) {
		failing(problem);
		return this.consecutiveFailures.getAndIncrement() == 0;
	}

	/**
	 * An attempt to set up or pull failed.
	 * @param problem why
	 * @return how many attempts in a row failed
	 */
	int attemptFailed(String problem) {
		int failures = this.consecutiveFailures.incrementAndGet();
		failing(problem);
		return failures;
	}

	/**
	 * A round went well: the worker consumes.
	 * @return whether it failed before (it consumes again)
	 */
	boolean succeeded() {
		boolean recovered = this.consecutiveFailures.getAndSet(0) > 0;
		this.problem = null;
		this.state = PullWorkerStatus.State.CONSUMING;
		return recovered;
	}

	/**
	 * What the worker is doing, and whether it is healthy.
	 * @param loop the running pull thread, or null when stopped
	 * @param pullStartedNanos when the pull in progress started (System.nanoTime), or 0
	 * @return the status
	 */
	PullWorkerStatus status(@Nullable Thread loop, long pullStartedNanos) {
		boolean healthy = true;
		String why = this.problem;
		PullWorkerStatus.State now = this.state;
		if (loop != null) {
			long stuckAfter = this.settings.maxWait().toNanos() * 2 + TimeUnit.SECONDS.toNanos(10);
			String hung = this.inFlight.hungHandler();
			if (!loop.isAlive() && loop.getState() != Thread.State.NEW) {
				healthy = false;
				why = "its pull loop is not running";
			}
			else if (now == PullWorkerStatus.State.FAILING
					|| (now == PullWorkerStatus.State.PROVISIONING && this.consecutiveFailures.get() > 0)) {
				// between two failed attempts the state says PROVISIONING: still stalled
				healthy = false;
			}
			else if (now == PullWorkerStatus.State.WAITING_FOR_CONNECTION && this.waitingSince != 0
					&& System.nanoTime() - this.waitingSince > CONNECTION_GRACE_NANOS) {
				healthy = false;
				why = "it has been waiting " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - this.waitingSince)
						+ " s for the NATS connection to be ready";
			}
			else if (pullStartedNanos != 0 && System.nanoTime() - pullStartedNanos > stuckAfter) {
				healthy = false;
				why = "a pull has not finished for "
						+ TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - pullStartedNanos) + " s";
			}
			else if (hung != null) {
				healthy = false;
				why = hung;
			}
			else if (this.consumerStatus.unanswered() != null) {
				healthy = false;
				why = this.consumerStatus.unanswered();
			}
		}
		long pending = 0;
		long ackPending = 0;
		long redelivered = 0;
		for (ConsumerInfo info : this.consumerStatus.latest()) {
			if (info != null) {
				pending += info.getNumPending();
				ackPending += info.getNumAckPending();
				redelivered += info.getRedelivered();
			}
		}
		return new PullWorkerStatus(this.settings.id(), this.settings.stream(),
				String.join(",", this.settings.consumerNames()), now, healthy, healthy ? null : why, this.lastPullAt,
				pending, ackPending, redelivered, this.handled.get(), this.failed.get(), this.failures.deadLettered());
	}

}
