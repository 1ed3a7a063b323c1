package io.natsboot.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Closes the NATS connection gracefully when the application context stops: subscriptions
 * and dispatchers drain (messages already received are still handled) within the drain
 * timeout, then the connection closes. Its phase is low, so it stops after listener
 * containers, task workers and the web server, which may still publish while they shut
 * down.
 */
public class NatsConnectionLifecycle implements SmartLifecycle {

	/** The phase: below the web server's graceful shutdown and stop phases. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final LogAccessor logger = new LogAccessor(NatsConnectionLifecycle.class);

	private final Connection connection;

	private final Duration drainTimeout;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param connection the connection to drain and close
	 * @param drainTimeout how long draining may take before the connection is closed
	 * anyway
	 */
	public NatsConnectionLifecycle(Connection connection, Duration drainTimeout) {
		this.connection = connection;
		this.drainTimeout = drainTimeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		drainAndClose();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Drains subscriptions, then closes the connection; closes at once when it is not
	 * connected.
	 */
	public void drainAndClose() {
		Connection.Status status = this.connection.getStatus();
		if (status == Connection.Status.CLOSED) {
			return;
		}
		try {
			if (status == Connection.Status.CONNECTED) {
				CompletableFuture<Boolean> drained = this.connection.drain(this.drainTimeout);
				// jnats closes the connection once draining finished or timed out; wait a
				// little longer.
				boolean complete = drained.get(this.drainTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
				if (!complete) {
					logger.warn(() -> "NATS connection did not drain within " + this.drainTimeout
							+ " (nats.drain-timeout); closing it with messages still pending");
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException | ExecutionException | RuntimeException ex) {
			logger.warn(ex, "Draining the NATS connection failed; closing it");
		}
		finally {
			close();
		}
	}

	private void close() {
		try {
			this.connection.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
