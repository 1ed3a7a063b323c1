package io.natsboot.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;

/**
 * Runs the {@link NatsConnectionReadyCallback}s whenever the connection is established, then tells
 * whoever waits for readiness (listener containers, workers). With {@code nats.startup=fail} and
 * a connection at start-up, the callbacks run during start-up and a failure fails it; otherwise
 * they run on a thread of their own after each (re)connect, and a failure is logged and retried
 * at the next reconnect.
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

	private volatile @Nullable ExecutorService setupThread;

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
	 * Runs an action every time the connection is ready (setup done): now, when it is ready
	 * already, and after every later (re)connect.
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

	@Override
	public void start() {
		this.setupThread = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "nats-connection-setup");
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
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
		ExecutorService executor = this.setupThread;
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
			ExecutorService executor = this.setupThread;
			if (executor != null && !executor.isShutdown()) {
				// Setup talks to the server: never on jnats' callback thread.
				executor.execute(() -> setUp(reconnect, false));
			}
		}
	}

	private synchronized void setUp(boolean reconnect, boolean propagateFailure) {
		for (NatsConnectionReadyCallback callback : this.callbacks) {
			try {
				callback.onConnectionReady(this.nats, reconnect);
			}
			catch (Exception ex) {
				if (propagateFailure) {
					throw new NatsException("Setting up NATS failed in " + callback.getClass().getName() + ": "
							+ ex.getMessage(), ex);
				}
				logger.error(ex, () -> "Setting up NATS after " + (reconnect ? "a reconnect" : "connecting")
						+ " failed in " + callback.getClass().getName() + "; trying again at the next reconnect");
			}
		}
		this.ready = true;
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
