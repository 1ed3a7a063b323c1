package io.natsboot.jetstream;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsPermissionException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Repeats a JetStream call that failed because the cluster could not answer for a moment:
 * the stream's or bucket's leader died and a new one is being elected
 * ({@code 503 No Responders}, timeouts, "stream is offline"), or the connection is moving
 * to another server. Within the fail-over timeout
 * ({@code nats.jetstream.failover-timeout}) the call is repeated with a growing pause;
 * any other failure, and the last transient one once the time is up, is thrown at once.
 * <p>
 * Only calls that are safe to repeat go through here: publishes under a fixed message id
 * (the stream deduplicates them), writes with an expected revision (a repeat of a write
 * that did land fails its condition and is read again by the caller), and reads. A call
 * that got no answer because the server refused a permission is not an election:
 * {@link #refusedBy} names the check that tells, and its exception ends the retries at
 * once.
 */
public final class FailoverRetry {

	/** No retry: every failure is thrown at once. */
	public static final FailoverRetry NONE = new FailoverRetry(Duration.ZERO);

	private static final LogAccessor logger = new LogAccessor(FailoverRetry.class);

	private static final long FIRST_PAUSE_MILLIS = 100;

	private static final long LONGEST_PAUSE_MILLIS = 2000;

	private static final long LONGEST_FAILOVER_SECONDS = 5;

	/**
	 * JetStream API errors that an election or a lost node causes, and that go away with
	 * a new leader.
	 */
	private static final String[] TRANSIENT_TEXTS = { "no responders", "timeout or no response", "timed out", "offline",
			"leader", "temporarily unavailable", "not current" };

	/**
	 * Placement refusals (too few servers for the replicas): an answer, retried by the
	 * setup, not here.
	 */
	private static final int[] PLACEMENT_REFUSALS = { JetStreamErrors.NO_SUITABLE_PEERS,
			JetStreamErrors.INSUFFICIENT_RESOURCES, JetStreamErrors.REPLICAS_NOT_SUPPORTED };

	private final Duration timeout;

	private final @Nullable Function<Exception, @Nullable RuntimeException> refusal;

	/**
	 * Creates a retry.
	 * @param timeout how long a call may be repeated; zero for no retry
	 */
	public FailoverRetry(Duration timeout) {
		this(timeout, null);
	}

	private FailoverRetry(Duration timeout, @Nullable Function<Exception, @Nullable RuntimeException> refusal) {
		this.timeout = timeout;
		this.refusal = refusal;
	}

	/**
	 * The same retry, asking before each repeat whether the failure was a refused
	 * permission (the server's refusals arrive apart from the call, which just gets no
	 * answer).
	 * @param refusal returns the exception to throw instead for a refused permission,
	 * else null
	 * @return the retry
	 */
	public FailoverRetry refusedBy(Function<Exception, @Nullable RuntimeException> refusal) {
		return new FailoverRetry(this.timeout, refusal);
	}

	/**
	 * How long a call may be repeated.
	 * @return the fail-over timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Runs a call, repeating it while it fails transiently and the fail-over timeout
	 * lasts.
	 * @param <T> the call's result
	 * @param action what the call does, for the log
	 * @param call the call
	 * @return the call's result
	 * @throws Exception the call's failure: not transient, or still failing when the time
	 * is up
	 */
	public <T> T call(String action, Call<T> call) throws Exception {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		long pause = FIRST_PAUSE_MILLIS;
		int attempt = 0;
		while (true) {
			try {
				return call.run();
			}
			catch (Exception ex) {
				attempt++;
				long left = deadline - System.nanoTime();
				if (!isTransient(ex)) {
					throw ex;
				}
				// a refused permission also goes unanswered: tell it apart before any
				// wait, and on the last try
				RuntimeException refused = (this.refusal != null) ? this.refusal.apply(ex) : null;
				if (refused != null) {
					throw refused;
				}
				if (left <= 0 || Thread.currentThread().isInterrupted()) {
					throw ex;
				}
				int tries = attempt;
				logger.debug(ex, () -> "Could not " + action + " (try " + tries
						+ "), the cluster may be electing a leader; " + "trying again");
				Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
				pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
			}
		}
	}

	/**
	 * Waits while a connection to a cluster moves to another server (a fail-over takes
	 * one reconnect, well under a second), at most the fail-over timeout and
	 * {@value #LONGEST_FAILOVER_SECONDS} s. A connection that knows one server only is in
	 * an outage, not a fail-over: no wait.
	 * @param connection the connection
	 * @return whether it is connected
	 */
	public boolean awaitFailover(Connection connection) {
		if (connection.getStatus() == Connection.Status.CONNECTED) {
			return true;
		}
		if (connection.getServers().size() < 2 || connection.getStatus() == Connection.Status.CLOSED) {
			return false;
		}
		long wait = Math.min(this.timeout.toMillis(), TimeUnit.SECONDS.toMillis(LONGEST_FAILOVER_SECONDS));
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
		while (connection.getStatus() != Connection.Status.CONNECTED && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return connection.getStatus() == Connection.Status.CONNECTED;
	}

	/**
	 * Runs an asynchronous call, starting it again after a pause while it fails
	 * transiently and the fail-over timeout lasts; no thread waits meanwhile.
	 * @param <T> the call's result
	 * @param call starts the call
	 * @param executor where failures are looked at and tries started again (never jnats'
	 * threads)
	 * @return the result of the first try that succeeds, or the failure that ends the
	 * retries
	 */
	public <T> CompletableFuture<T> callAsync(Supplier<CompletableFuture<T>> call, Executor executor) {
		CompletableFuture<T> result = new CompletableFuture<>();
		attemptAsync(call, executor, System.nanoTime() + this.timeout.toNanos(), FIRST_PAUSE_MILLIS, result);
		return result;
	}

	private <T> void attemptAsync(Supplier<CompletableFuture<T>> call, Executor executor, long deadline, long pause,
			CompletableFuture<T> result) {
		CompletableFuture<T> attempt;
		try {
			attempt = call.get();
		}
		catch (RuntimeException ex) {
			attempt = CompletableFuture.failedFuture(ex);
		}
		// jnats completes its futures on its own threads; the refusal check may wait for
		// them
		attempt.whenCompleteAsync((value, failure) -> {
			if (failure == null) {
				result.complete(value);
				return;
			}
			Throwable cause = NatsFailures.futureCause(failure);
			long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (!isTransient(cause)) {
				result.completeExceptionally(cause);
				return;
			}
			RuntimeException refused = (this.refusal != null && cause instanceof Exception exception)
					? this.refusal.apply(exception) : null;
			if (refused != null) {
				result.completeExceptionally(refused);
				return;
			}
			if (leftMillis <= 0) {
				result.completeExceptionally(cause);
				return;
			}
			CompletableFuture.delayedExecutor(Math.min(pause, leftMillis), TimeUnit.MILLISECONDS, executor)
				.execute(() -> attemptAsync(call, executor, deadline, Math.min(LONGEST_PAUSE_MILLIS, pause * 2),
						result));
		}, executor);
	}

	/**
	 * Whether a failure is one that a leader election, a lost node or a connection
	 * fail-over causes, so the same call may succeed a moment later.
	 * @param failure the failure
	 * @return true for no responders, timeouts, offline streams, disconnects and requests
	 * cancelled by one
	 */
	public static boolean isTransient(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NatsPermissionException) {
				return false; // a refusal, not an outage
			}
			if (cause instanceof JetStreamApiException api) {
				for (int refusal : PLACEMENT_REFUSALS) {
					if (api.getApiErrorCode() == refusal) {
						return false;
					}
				}
				// a refused condition or request is an answer, not an outage
				return api.getErrorCode() == 503 || api.getErrorCode() == 408
						|| containsTransientText(api.getErrorDescription());
			}
			// jnats cancels the futures of requests in flight when the connection is lost
			if (cause instanceof JetStreamStatusException || cause instanceof TimeoutException
					|| cause instanceof CancellationException) {
				return true;
			}
			if (cause instanceof IOException || cause instanceof IllegalStateException) {
				String message = cause.getMessage();
				if (message != null && (containsTransientText(message)
						|| message.toLowerCase(Locale.ROOT).contains("disconnected")
						|| message.toLowerCase(Locale.ROOT).contains("reconnecting") || message.contains("503"))) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean containsTransientText(String text) {
		if (text == null) {
			return false;
		}
		String lower = text.toLowerCase(Locale.ROOT);
		for (String transientText : TRANSIENT_TEXTS) {
			if (lower.contains(transientText)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A call that may be repeated.
	 *
	 * @param <T> its result
	 */
	@FunctionalInterface
	public interface Call<T> {

		/**
		 * Runs the call once.
		 * @return its result
		 * @throws Exception its failure
		 */
		T run() throws Exception;

	}

}
