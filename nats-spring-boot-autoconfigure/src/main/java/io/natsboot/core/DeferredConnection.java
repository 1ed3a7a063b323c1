package io.natsboot.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ServerInfo;
import io.nats.client.impl.NatsImpl;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * A {@link Connection} that exists before NATS can be reached: jnats connects in the
 * background and retries until a server answers; from the first connect on, every call
 * goes to the real connection. Before that, status queries answer ({@code CONNECTING}),
 * publishes are buffered as during an outage (up to the reconnect buffer size) and sent
 * in order once connected, and anything that needs an answer from the server throws
 * {@link NatsNotConnectedException} naming the ways to wait. Connection listeners added
 * early are registered on the real connection and told {@code CONNECTED} when it is
 * established.
 * <p>
 * Whoever sets the server up on connect ({@link NatsConnectionReadiness}) may
 * {@linkplain #holdPublishes(Connection) hold} the buffered publishes until it is done,
 * so that a message for a stream created on connect is not sent before the stream exists.
 */
final class DeferredConnection implements InvocationHandler, ConnectionListener {

	private static final LogAccessor logger = new LogAccessor(DeferredConnection.class);

	private final @Nullable ConnectionListener configuredListener;

	private final List<ConnectionListener> earlyListeners = new CopyOnWriteArrayList<>();

	private final List<String> servers;

	private final Connection proxy;

	private volatile Options options;

	/** The connection jnats is trying to establish, known from its first event. */
	private volatile @Nullable Connection pending;

	/** The established connection; set once, on the first connect. */
	private volatile @Nullable Connection delegate;

	private volatile boolean closed;

	/** Publishes made before they could be sent; guarded by {@code this}. */
	private final EarlyPublishBuffer buffered;

	/** Whether buffered publishes wait for {@link #releasePublishes(Connection)}. */
	private boolean holdPublishes;

	/** Whether publishes go to the established connection; set once. */
	private volatile boolean publishing;

	private DeferredConnection(Options options) {
		this.configuredListener = options.getConnectionListener();
		this.servers = NatsServerUrls.redact(options.getUnprocessedServers());
		this.buffered = new EarlyPublishBuffer(options.getReconnectBufferSize(), this.servers);
		this.options = new Options.Builder(options).connectionListener(this).build();
		this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
				new Class<?>[] { Connection.class }, this);
	}

	/**
	 * Starts connecting in the background.
	 * @param options the connection options
	 * @return the connection, usable once NATS is reached
	 */
	static Connection connectInBackground(Options options) {
		DeferredConnection deferred = new DeferredConnection(options);
		try {
			Nats.connectAsynchronously(deferred.options, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsConnectionException("Interrupted while starting to connect to NATS " + deferred.servers, ex);
		}
		return deferred.proxy;
	}

	/**
	 * The connection calls should go to: the established connection behind a deferred
	 * one, so hot paths skip the proxy once connected; the given connection otherwise.
	 * @param connection a connection, deferred or not
	 * @return the established connection, or {@code connection} itself
	 */
	static Connection established(Connection connection) {
		DeferredConnection deferred = deferred(connection);
		if (deferred != null) {
			Connection delegate = deferred.delegate;
			// publishes still buffered must go out before any new one
			return (delegate != null && deferred.publishing) ? delegate : connection;
		}
		return connection;
	}

	/**
	 * Keeps the publishes made before the first connect until
	 * {@link #releasePublishes(Connection)}, rather than sending them at the connect.
	 * Does nothing for a connection that is not deferred or that sends already.
	 * @param connection a connection, deferred or not
	 */
	static void holdPublishes(Connection connection) {
		DeferredConnection deferred = deferred(connection);
		if (deferred != null) {
			synchronized (deferred) {
				deferred.holdPublishes = !deferred.publishing;
			}
		}
	}

	/**
	 * Sends the publishes made before the first connect, in order, and every later one
	 * straight away; does nothing before the first connect (they are sent then) or for a
	 * connection that is not deferred.
	 * @param connection a connection, deferred or not
	 */
	static void releasePublishes(Connection connection) {
		DeferredConnection deferred = deferred(connection);
		if (deferred != null) {
			synchronized (deferred) {
				deferred.holdPublishes = false;
				if (deferred.delegate != null) {
					deferred.startPublishing();
				}
			}
		}
	}

	private static @Nullable DeferredConnection deferred(Connection connection) {
		if (Proxy.isProxyClass(connection.getClass())
				&& Proxy.getInvocationHandler(connection) instanceof DeferredConnection deferred) {
			return deferred;
		}
		return null;
	}

	// Called holding the monitor: publishes made meanwhile wait for it, and so come after
	// the buffered ones.
	private void startPublishing() {
		Connection connection = this.delegate;
		if (!this.publishing && connection != null) {
			this.buffered.sendTo(connection);
			this.publishing = true;
		}
	}

	@Override
	public void connectionEvent(Connection connection, Events type) {
		connectionEvent(connection, type, null, null);
	}

	@Override
	public void connectionEvent(Connection connection, Events type, @Nullable Long time, @Nullable String uriDetails) {
		this.pending = connection;
		if (this.closed) {
			closeQuietly(connection);
			return;
		}
		if (type == Events.CLOSED) {
			synchronized (this) {
				if (!this.publishing) {
					// jnats gave up before publishes went out: they never will
					this.buffered.discard();
				}
			}
		}
		boolean firstConnect = false;
		if (this.delegate == null && (type == Events.CONNECTED || type == Events.RECONNECTED)) {
			synchronized (this) {
				if (this.delegate == null) {
					for (ConnectionListener listener : this.earlyListeners) {
						connection.addConnectionListener(listener);
					}
					this.delegate = connection;
					firstConnect = true;
					if (!this.holdPublishes) {
						startPublishing();
					}
				}
			}
		}
		Events reported = firstConnect ? Events.CONNECTED : type;
		if (this.configuredListener != null) {
			notify(this.configuredListener, connection, reported, time, uriDetails);
		}
		if (firstConnect) {
			for (ConnectionListener listener : this.earlyListeners) {
				notify(listener, connection, Events.CONNECTED, time, uriDetails);
			}
		}
	}

	// One failing listener must not keep the others from hearing about the connect, as in
	// jnats.
	private static void notify(ConnectionListener listener, Connection connection, Events type, @Nullable Long time,
			@Nullable String uriDetails) {
		try {
			listener.connectionEvent(connection, type, time, uriDetails);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "A NATS connection listener failed on " + type);
		}
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		Connection connection = this.delegate;
		if (connection != null && !isObjectMethod(method)) {
			if (!this.publishing && EarlyPublishBuffer.isPublish(method) && bufferUnlessPublishing(method, args)) {
				return null;
			}
			return call(connection, method, args);
		}
		if (EarlyPublishBuffer.isPublish(method)) {
			if (bufferUnlessPublishing(method, args)) {
				return null;
			}
			// the first connect came meanwhile and publishes go out now
			Connection established = this.delegate;
			if (established != null) {
				return call(established, method, args);
			}
		}
		return beforeFirstConnect(method, args);
	}

	private static @Nullable Object call(Connection connection, Method method, @Nullable Object[] args)
			throws Throwable {
		try {
			return method.invoke(connection, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Buffers a publish while publishes are not sent yet.
	 * @return true when buffered, false when it is to be sent now
	 */
	private synchronized boolean bufferUnlessPublishing(Method method, @Nullable Object[] args) {
		if (this.publishing) {
			return false;
		}
		if (this.closed || closedByJnats()) {
			throw new NatsNotConnectedException(
					"Cannot call publish(): the NATS connection to " + this.servers + " is closed");
		}
		this.buffered.add(method, args);
		return true;
	}

	/**
	 * Whether jnats gave the connection up (reconnect attempts exhausted, credentials
	 * refused twice): nothing kept would ever be sent.
	 */
	private boolean closedByJnats() {
		Connection current = (this.delegate != null) ? this.delegate : this.pending;
		return current != null && current.getStatus() == Connection.Status.CLOSED;
	}

	private @Nullable Object beforeFirstConnect(Method method, @Nullable Object[] args) {
		Connection connecting = this.pending;
		switch (method.getName()) {
			case "toString":
				Connection established = this.delegate;
				return "DeferredConnection" + this.servers + "["
						+ ((established != null) ? established.getStatus() : statusBeforeFirstConnect(connecting))
						+ "]";
			case "hashCode":
				return System.identityHashCode(this.proxy);
			case "equals":
				return args != null && args[0] == this.proxy;
			case "getStatus":
				return statusBeforeFirstConnect(connecting);
			case "getOptions":
				return this.options;
			case "getServers":
				return (connecting != null) ? connecting.getServers() : this.options.getUnprocessedServers();
			case "getServerInfo":
				return ServerInfo.EMPTY_INFO;
			case "getStatistics":
				return (connecting != null) ? connecting.getStatistics() : NatsImpl.createEmptyStats();
			case "getLastError":
				return (connecting != null) ? connecting.getLastError() : null;
			case "getConnectedUrl", "getClientInetAddress":
				return null;
			case "getMaxPayload", "outgoingPendingMessageCount", "outgoingPendingBytes":
				return 0L;
			case "clearLastError":
				return null;
			case "addConnectionListener":
				addEarlyListener((ConnectionListener) args[0]);
				return null;
			case "removeConnectionListener":
				removeListener((ConnectionListener) args[0]);
				return null;
			case "close":
				close();
				return null;
			case "drain":
				close();
				return CompletableFuture.completedFuture(Boolean.TRUE);
			default:
				throw new NatsNotConnectedException("Cannot call " + method.getName()
						+ "(): the NATS connection is not established yet; it keeps connecting to " + this.servers
						+ " in the background (nats.startup=wait): " + NatsNotConnectedException.HOW_TO_WAIT);
		}
	}

	private Connection.Status statusBeforeFirstConnect(@Nullable Connection connecting) {
		if (this.closed) {
			return Connection.Status.CLOSED;
		}
		// jnats goes DISCONNECTED and RECONNECTING between attempts; a connection that
		// never was connected is still connecting. Until the CONNECTED event has been
		// handled, callers cannot use the connection yet either.
		if (connecting != null && connecting.getStatus() == Connection.Status.CLOSED) {
			return Connection.Status.CLOSED; // e.g. refused credentials: jnats gave up
		}
		return Connection.Status.CONNECTING;
	}

	private synchronized void addEarlyListener(ConnectionListener listener) {
		Connection connection = this.delegate;
		if (connection != null) {
			connection.addConnectionListener(listener);
		}
		else {
			this.earlyListeners.add(listener);
		}
	}

	private synchronized void removeListener(ConnectionListener listener) {
		this.earlyListeners.remove(listener);
		Connection connection = this.delegate;
		if (connection != null) {
			connection.removeConnectionListener(listener);
		}
	}

	private void close() {
		synchronized (this) {
			this.closed = true;
			this.buffered.discard();
		}
		Connection connecting = this.pending;
		if (connecting != null) {
			closeQuietly(connecting);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Closing a NATS connection failed");
		}
	}

	private static boolean isObjectMethod(Method method) {
		return method.getDeclaringClass() == Object.class;
	}

}
