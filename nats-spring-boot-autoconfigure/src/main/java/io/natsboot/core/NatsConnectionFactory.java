package io.natsboot.core;

import java.io.IOException;
import java.util.List;

import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * Creates the application's NATS {@link Connection} from jnats {@link Options}, the way
 * the {@link StartupMode} asks: in the background ({@link StartupMode#WAIT}), or at once,
 * failing with a {@link NatsConnectionException} that names the servers tried
 * ({@link StartupMode#FAIL}).
 */
public class NatsConnectionFactory {

	private final Options options;

	/**
	 * Creates a factory.
	 * @param options the connection options (servers, authentication, TLS, reconnect
	 * policy)
	 */
	public NatsConnectionFactory(Options options) {
		this.options = options;
	}

	/**
	 * Connects.
	 * @param mode whether to wait for NATS in the background or to fail when it is down
	 * @return the connection; with {@link StartupMode#WAIT} it may not be connected yet
	 * @throws NatsConnectionException with {@link StartupMode#FAIL}, when no server
	 * accepts the connection
	 */
	public Connection connect(StartupMode mode) {
		return (mode == StartupMode.WAIT) ? DeferredConnection.connectInBackground(this.options) : connectNow();
	}

	private Connection connectNow() {
		List<String> servers = NatsServerUrls.redact(this.options.getUnprocessedServers());
		try {
			return Nats.connect(this.options);
		}
		catch (AuthenticationException ex) {
			throw new NatsConnectionException("NATS " + servers + " refused the credentials: " + ex.getMessage()
					+ " (check nats.username/password, nats.token, nats.nkey-seed or nats.credentials)", ex);
		}
		catch (IOException ex) {
			throw new NatsConnectionException(
					"Cannot connect to NATS " + servers + ": " + ex.getMessage()
							+ " (nats.startup=fail; use nats.startup=wait to start without NATS and connect later)",
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsConnectionException("Interrupted while connecting to NATS " + servers, ex);
		}
	}

}
