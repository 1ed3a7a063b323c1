package io.natsboot.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;

import org.springframework.core.log.LogAccessor;

/**
 * Ends a subscription's dispatcher, as the template's subscriptions and the listener
 * containers both do: drained while connected (messages already received are still
 * handled), closed at once otherwise.
 */
public final class NatsDispatchers {

	private static final LogAccessor logger = new LogAccessor(NatsDispatchers.class);

	private NatsDispatchers() {
	}

	/**
	 * Starts draining a dispatcher, or closes it when the connection is not connected (no
	 * drain could be confirmed then). jnats closes a drained dispatcher itself, or when
	 * the drain times out.
	 * @param connection the connection the dispatcher belongs to
	 * @param dispatcher the dispatcher
	 * @param timeout how long the drain may take
	 * @return completes once drained (at once when closed instead)
	 * @throws TimeoutException when the drain's flush could not take its turn in time
	 * @throws InterruptedException when interrupted meanwhile
	 */
	public static CompletableFuture<Boolean> drain(Connection connection, Dispatcher dispatcher, Duration timeout)
			throws TimeoutException, InterruptedException {
		if (connection.getStatus() != Connection.Status.CONNECTED) {
			connection.closeDispatcher(dispatcher);
			return CompletableFuture.completedFuture(true);
		}
		// the drain starts with a flush, a ping that takes its turn; only that part, so
		// that a long drain does not keep others from pinging
		try (NatsPings.Permit permit = NatsPings.acquire(connection, timeout)) {
			return dispatcher.drain(timeout);
		}
	}

	/**
	 * Closes a dispatcher, logging at DEBUG what goes wrong.
	 * @param connection the connection the dispatcher belongs to
	 * @param dispatcher the dispatcher
	 */
	public static void closeQuietly(Connection connection, Dispatcher dispatcher) {
		try {
			connection.closeDispatcher(dispatcher);
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Could not close a dispatcher");
		}
	}

}
