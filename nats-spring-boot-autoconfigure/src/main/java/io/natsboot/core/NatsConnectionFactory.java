package io.natsboot.core;

import java.io.IOException;
import java.util.List;

import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;

/**
 * Creates the application's NATS {@link Connection} from jnats {@link Options}, the way
 * the {@link StartupMode} asks: in the background ({@link StartupMode#WAIT}), or at once,
 * failing with a {@link NatsConnectionException} that names the servers tried
 * ({@link StartupMode#FAIL}).
 */
public class NatsConnectionFactory {

	private final Options options;

	private final @Nullable NatsExceptionTranslator translator;

	/**
	 * Creates a factory.
	 * @param options the connection options (servers, authentication, TLS, reconnect
	 * policy)
	 */
	public NatsConnectionFactory(Options options) {
		this(options, null);
	}

	/**
	 * Creates a factory whose failures name the root cause as the connection's listeners
	 * heard it (jnats' own exception only lists the servers tried).
	 * @param options the connection options (servers, authentication, TLS, reconnect
	 * policy)
	 * @param translator the translator the options' error listener feeds, or null
	 */
	public NatsConnectionFactory(Options options, @Nullable NatsExceptionTranslator translator) {
		this.options = options;
		this.translator = translator;
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
			String reason = heard((ex.getMessage() != null) ? ex.getMessage() : "credentials refused");
			throw new NatsConnectionException(
					"NATS " + servers + " refused the credentials: " + reason
							+ " (check nats.username/password, nats.token, nats.nkey-seed or nats.credentials)",
					servers, NatsConnectionException.Problem.CREDENTIALS_REFUSED, reason, ex);
		}
		catch (IOException ex) {
			String reason = heard(ex.getMessage());
			NatsConnectionException.Problem problem = reason.startsWith(NatsExceptionTranslator.TLS_FAILURE)
					? NatsConnectionException.Problem.TLS : NatsConnectionException.Problem.UNREACHABLE;
			throw new NatsConnectionException(
					"Cannot connect to NATS " + servers + ": " + reason
							+ " (nats.startup=fail; use nats.startup=wait to start without NATS and connect later)",
					servers, problem, reason, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsConnectionException("Interrupted while connecting to NATS " + servers, servers,
					NatsConnectionException.Problem.OTHER, null, ex);
		}
	}

	// jnats' exception says only which servers failed; why went to the error listener
	private String heard(@Nullable String fallback) {
		String problem = (this.translator != null) ? this.translator.lastConnectionError() : null;
		return (problem != null && !problem.isBlank()) ? problem : String.valueOf(fallback);
	}

}
