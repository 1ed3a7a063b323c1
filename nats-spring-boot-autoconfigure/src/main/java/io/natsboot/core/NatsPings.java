package io.natsboot.core;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;

/**
 * Keeps natsboot's own pings on a connection (flushes and round-trip measurements) within
 * what jnats tolerates. jnats counts every unanswered ping, its timer's and each flush's
 * alike, against {@link Options#getMaxPingsOut()} (2 by default) and takes one more as a
 * dead connection: it disconnects a healthy one when a few threads flush at once, as
 * listener containers checking their subscriptions do at start-up. So at most
 * {@code maxPingsOut - 1} of natsboot's pings are outstanding on a connection at once,
 * leaving room for the timer's; further callers wait their turn.
 * <p>
 * Usage: {@code try (NatsPings.Permit permit = NatsPings.acquire(connection, timeout)) {
 * connection.flush(timeout); }}
 */
public final class NatsPings {

	/** By the connection's options: the same for a connection and any view of it. */
	private static final Map<Options, Semaphore> GATES = Collections.synchronizedMap(new WeakHashMap<>());

	private static final Permit NO_LIMIT = () -> {
	};

	private NatsPings() {
	}

	/**
	 * Waits until natsboot may send one more ping on a connection.
	 * @param connection the connection
	 * @param timeout how long to wait at most
	 * @return the permit, to close once the ping was answered or given up
	 * @throws TimeoutException when no permit came within the timeout
	 * @throws InterruptedException when interrupted while waiting
	 */
	public static Permit acquire(Connection connection, Duration timeout)
			throws TimeoutException, InterruptedException {
		Semaphore gate = gate(connection);
		if (gate == null) {
			return NO_LIMIT;
		}
		if (!gate.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new TimeoutException("No ping could be sent within " + timeout
					+ ": as many as jnats allows (max pings out) are unanswered");
		}
		return gate::release;
	}

	private static @Nullable Semaphore gate(Connection connection) {
		Options options = connection.getOptions();
		if (options.getMaxPingsOut() <= 0) {
			return null; // jnats counts no pings then
		}
		return GATES.computeIfAbsent(options, (key) -> new Semaphore(Math.max(1, key.getMaxPingsOut() - 1)));
	}

	/**
	 * Leave to send one ping; closing it lets the next caller send theirs.
	 */
	@FunctionalInterface
	public interface Permit extends AutoCloseable {

		@Override
		void close();

	}

}
