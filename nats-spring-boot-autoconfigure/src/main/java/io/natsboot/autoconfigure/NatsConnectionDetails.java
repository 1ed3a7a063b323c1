package io.natsboot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.io.Resource;

/**
 * Details required to establish a connection to NATS: where the servers are and how to
 * authenticate. The connection is built from this bean, never straight from properties,
 * so a test container or a development-time server can supply it.
 */
public interface NatsConnectionDetails extends ConnectionDetails {

	/**
	 * The server URLs, e.g. {@code nats://localhost:4222}.
	 * @return at least one URL
	 */
	List<String> getServers();

	/**
	 * User name for user/password authentication.
	 * @return the user name, or null
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Password for user/password authentication.
	 * @return the password, or null
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Token for token authentication.
	 * @return the token, or null
	 */
	default @Nullable String getToken() {
		return null;
	}

	/**
	 * NKey seed for NKey authentication.
	 * @return the seed, or null
	 */
	default @Nullable String getNkeySeed() {
		return null;
	}

	/**
	 * Credentials file (user JWT and NKey seed) for JWT authentication.
	 * @return the credentials, or null
	 */
	default @Nullable Resource getCredentials() {
		return null;
	}

	/**
	 * SSL bundle with the trust material (and the client key for mutual TLS).
	 * @return the bundle, or null for plain connections or the JVM's default trust store
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
