package io.natsboot.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.api.ServerInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.log.LogAccessor;

/**
 * Logs connection events and errors once each, with the server URL and never a secret. A
 * reconnect loop that fails the same way every few seconds logs each distinct problem
 * once per outage (at debug level after that), and again after the next successful
 * connect. Until the first connect, a failed attempt is logged as the server that cannot
 * be reached and why, never as a disconnect. When given a
 * {@link NatsExceptionTranslator}, it also tells that translator every error and connect,
 * so that permission violations and connect failures reach the calls and the health they
 * concern.
 */
public class NatsConnectionEventLogger implements ConnectionListener, ErrorListener {

	private static final LogAccessor logger = new LogAccessor(NatsConnectionEventLogger.class);

	/** Problems already logged since the last successful connect. */
	private final Set<String> reportedSinceConnect = ConcurrentHashMap.newKeySet();

	private final @Nullable NatsExceptionTranslator translator;

	/**
	 * Whether a connect ever succeeded; before, there is nothing to be disconnected from.
	 */
	private volatile boolean connectedOnce;

	/**
	 * Creates a logger that only logs.
	 */
	public NatsConnectionEventLogger() {
		this.translator = null;
	}

	/**
	 * Creates a logger that also feeds a translator.
	 * @param translator told about every error, exception and connect
	 */
	public NatsConnectionEventLogger(NatsExceptionTranslator translator) {
		this.translator = translator;
	}

	/**
	 * The translator this logger feeds.
	 * @return the translator, or null
	 */
	public @Nullable NatsExceptionTranslator getTranslator() {
		return this.translator;
	}

	@Override
	public void connectionEvent(Connection connection, Events type) {
		connectionEvent(connection, type, null, null);
	}

	@Override
	public void connectionEvent(Connection connection, Events type, @Nullable Long time, @Nullable String uriDetails) {
		String server = (uriDetails != null && !uriDetails.isBlank()) ? NatsServerUrls.redact(uriDetails)
				: serverOf(connection);
		NatsExceptionTranslator translator = this.translator;
		if (translator != null) {
			translator.onCallbackThread();
		}
		switch (type) {
			case CONNECTED, RECONNECTED -> {
				this.connectedOnce = true;
				this.reportedSinceConnect.clear();
				if (translator != null) {
					translator.connected();
				}
				ServerInfo info = connection.getServerInfo();
				logger.info(() -> (type == Events.CONNECTED ? "Connected" : "Reconnected") + " to NATS " + server
						+ " (server " + info.getServerName() + ", version " + info.getVersion() + ", JetStream "
						+ (info.isJetStreamAvailable() ? "available" : "not available") + ")");
			}
			case DISCONNECTED -> {
				if (this.connectedOnce) {
					reportOnce("disconnected",
							() -> "Disconnected from NATS " + server + "; reconnecting in the background");
				}
				else {
					// a failed first attempt: its cause is logged as the exception or
					// error
					logger.debug(() -> "Not connected to NATS " + server + " yet; trying again");
				}
			}
			case CLOSED -> logger.info(() -> "Closed the NATS connection " + server);
			case LAME_DUCK -> logger.warn(() -> "NATS server " + server + " entered lame duck mode; "
					+ "the client will move to another server");
			default -> logger.debug(() -> "NATS connection event " + type + " " + server);
		}
	}

	@Override
	public void errorOccurred(Connection connection, String error) {
		if (this.translator != null) {
			this.translator.serverError(error);
		}
		String hint = isAuthenticationError(error) ? " (check the credentials: jnats closes the connection for good "
				+ "when a server refuses them twice in a row)" : "";
		reportOnce("error:" + error, () -> "NATS server " + serverOf(connection) + " reported: " + error + hint);
	}

	private static boolean isAuthenticationError(String error) {
		String lower = error.toLowerCase(java.util.Locale.ROOT);
		return lower.contains("authorization violation") || lower.contains("authentication");
	}

	@Override
	public void exceptionOccurred(@Nullable Connection connection, Exception exception) {
		if (this.translator != null) {
			this.translator.connectionException(exception);
		}
		if (this.connectedOnce) {
			reportOnce("exception:" + exception,
					() -> "NATS connection " + serverOf(connection) + " failed: " + describe(exception));
		}
		else {
			reportOnce("exception:" + exception,
					() -> "Cannot reach NATS " + serverOf(connection) + ": " + describe(exception));
		}
	}

	@Override
	public void slowConsumerDetected(Connection connection, Consumer consumer) {
		logger.warn(() -> "NATS slow consumer on " + serverOf(connection) + ": " + consumer.getPendingMessageCount()
				+ " messages pending, " + consumer.getDroppedCount() + " dropped so far");
	}

	private void reportOnce(String key, Supplier<String> message) {
		if (this.reportedSinceConnect.add(key)) {
			logger.warn(message);
		}
		else {
			logger.debug(message);
		}
	}

	private static String serverOf(@Nullable Connection connection) {
		if (connection == null) {
			return "(not connected)";
		}
		String url = connection.getConnectedUrl();
		return (url != null) ? NatsServerUrls.redact(url) : NatsServerUrls.redact(connection.getServers()).toString();
	}

	private static String describe(Throwable exception) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(exception);
		String message = root.getClass().getSimpleName() + ": " + root.getMessage();
		return (root == exception) ? message : exception.getClass().getSimpleName() + " (" + message + ")";
	}

}
