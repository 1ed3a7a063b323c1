package io.natsboot.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Runs the {@link NatsConnectionReadyCallback}s whenever the connection is established,
 * then tells whoever waits for readiness (listener containers, workers). With
 * {@code nats.startup=fail} and a connection at start-up, the callbacks run during
 * start-up and a failure fails it; otherwise they run on a thread of their own after each
 * (re)connect, and a callback that failed (the cluster was electing a leader, a node
 * holding a stream was down) is run again with a growing pause, up to
 * {@value #LONGEST_RETRY_SECONDS} s, until it succeeds or the connection is lost;
 * {@link #setupFailures()} tells what is still failing. Publishes made before the first
 * connect are sent after the first setup, once listeners subscribed.
 */
public class NatsConnectionReadiness implements SmartLifecycle {

	/** Starts right after the connection's lifecycle, before listener containers. */
	public static final int PHASE = NatsConnectionLifecycle.PHASE + 1;

	private static final LogAccessor logger = new LogAccessor(NatsConnectionReadiness.class);

	private final NatsOperations nats;

	private final Connection connection;

	private final List<NatsConnectionReadyCallback> callbacks;

	private final boolean failFast;

	private final List<Runnable> readyActions = new CopyOnWriteArrayList<>();

	private final ConnectionListener onConnect = this::onConnectionEvent;

	private static final long FIRST_RETRY_MILLIS = 500;

	private static final long LONGEST_RETRY_SECONDS = 30;

	private volatile @Nullable ScheduledExecutorService setupThread;

	/**
	 * Why each callback that failed since the latest connect failed, by callback class.
	 */
	private final Map<String, String> failures = new ConcurrentHashMap<>();

	/**
	 * Counts connects, so that a retry scheduled before the latest connect does nothing.
	 */
	private volatile long connects;

	private volatile boolean ready;

	private volatile boolean running;

	/**
	 * Creates the readiness tracker.
	 * @param nats the template callbacks get
	 * @param connection the connection to watch
	 * @param callbacks the setup callbacks, in order
	 * @param failFast whether a failed setup at start-up fails the start-up
	 */
	public NatsConnectionReadiness(NatsOperations nats, Connection connection,
			List<NatsConnectionReadyCallback> callbacks, boolean failFast) {
		this.nats = nats;
		this.connection = connection;
		this.callbacks = List.copyOf(callbacks);
		this.failFast = failFast;
	}

	/**
	 * Runs an action every time the connection is ready (setup done): now, when it is
	 * ready already, and after every later (re)connect.
	 * @param action the action, e.g. subscribing a listener
	 */
	public void whenReady(Runnable action) {
		this.readyActions.add(action);
		if (this.ready) {
			action.run();
		}
	}

	/**
	 * Stops telling an action about readiness.
	 * @param action an action given to {@link #whenReady}
	 */
	public void removeReadyAction(Runnable action) {
		this.readyActions.remove(action);
	}

	/**
	 * Whether a failed setup at start-up fails the start-up ({@code nats.startup=fail}).
	 * @return true to fail fast
	 */
	public boolean isFailFast() {
		return this.failFast;
	}

	/**
	 * Whether the connection is established and set up.
	 * @return true once the callbacks ran after the latest connect
	 */
	public boolean isReady() {
		return this.ready && this.connection.getStatus() == Connection.Status.CONNECTED;
	}

	/**
	 * The setup callbacks that failed after the latest connect and are being retried,
	 * with why.
	 * @return callback class name to failure message; empty when all succeeded
	 */
	public Map<String, String> setupFailures() {
		return new LinkedHashMap<>(this.failures);
	}

	@Override
	public void start() {
		this.setupThread = Executors.newSingleThreadScheduledExecutor(NatsThreads.daemon("nats-connection-setup"));
		this.running = true;
		// publishes made before the first connect wait for the streams they may be for
		DeferredConnection.holdPublishes(this.connection);
		this.connection.addConnectionListener(this.onConnect);
		if (this.connection.getStatus() == Connection.Status.CONNECTED) {
			setUp(false, this.failFast);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.ready = false;
		this.connection.removeConnectionListener(this.onConnect);
		DeferredConnection.releasePublishes(this.connection);
		ScheduledExecutorService executor = this.setupThread;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void onConnectionEvent(Connection conn, ConnectionListener.Events event) {
		if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.CLOSED) {
			this.ready = false;
		}
		else if (this.running
				&& (event == ConnectionListener.Events.CONNECTED || event == ConnectionListener.Events.RECONNECTED)) {
			boolean reconnect = event == ConnectionListener.Events.RECONNECTED;
			ScheduledExecutorService executor = this.setupThread;
			if (executor != null && !executor.isShutdown()) {
				// Setup talks to the server: never on jnats' callback thread.
				executor.execute(() -> setUp(reconnect, false));
			}
		}
	}

	private synchronized void setUp(boolean reconnect, boolean propagateFailure) {
		long connect = ++this.connects;
		this.failures.clear();
		List<NatsConnectionReadyCallback> failed = run(this.callbacks, reconnect, propagateFailure);
		this.ready = true;
		runReadyActions();
		// after the listeners subscribed, so that they receive what was published early
		DeferredConnection.releasePublishes(this.connection);
		if (!failed.isEmpty()) {
			retryLater(failed, reconnect, connect, FIRST_RETRY_MILLIS);
		}
	}

	private List<NatsConnectionReadyCallback> run(List<NatsConnectionReadyCallback> callbacks, boolean reconnect,
			boolean propagateFailure) {
		List<NatsConnectionReadyCallback> failed = new ArrayList<>();
		for (NatsConnectionReadyCallback callback : callbacks) {
			String name = callback.getClass().getName();
			try {
				callback.onConnectionReady(this.nats, reconnect);
				this.failures.remove(name);
			}
			catch (Exception ex) {
				if (propagateFailure) {
					throw new NatsException("Setting up NATS failed in " + name + ": " + ex.getMessage(), ex);
				}
				boolean first = this.failures.put(name, String.valueOf(ex.getMessage())) == null;
				if (first) {
					logger.error(ex, () -> "Setting up NATS after " + (reconnect ? "a reconnect" : "connecting")
							+ " failed in " + name + "; trying again");
				}
				else {
					logger.debug(ex, () -> "Setting up NATS failed again in " + name);
				}
				failed.add(callback);
			}
		}
		return failed;
	}

	private void retryLater(List<NatsConnectionReadyCallback> failed, boolean reconnect, long connect,
			long delayMillis) {
		ScheduledExecutorService executor = this.setupThread;
		if (executor == null || executor.isShutdown()) {
			return;
		}
		try {
			executor.schedule(() -> retry(failed, reconnect, connect, delayMillis), delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
	}

	private synchronized void retry(List<NatsConnectionReadyCallback> failed, boolean reconnect, long connect,
			long delayMillis) {
		if (!this.running || connect != this.connects || this.connection.getStatus() != Connection.Status.CONNECTED) {
			return; // the next connect sets up again
		}
		List<NatsConnectionReadyCallback> still = run(failed, reconnect, false);
		if (still.isEmpty()) {
			logger.info("Setting up NATS succeeded after a retry");
			runReadyActions(); // workers that gave up on a missing stream look again
			return;
		}
		retryLater(still, reconnect, connect,
				Math.min(TimeUnit.SECONDS.toMillis(LONGEST_RETRY_SECONDS), delayMillis * 2));
	}

	private void runReadyActions() {
		for (Runnable action : this.readyActions) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				logger.error(ex, "An action waiting for the NATS connection failed");
			}
		}
	}

}
