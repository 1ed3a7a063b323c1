package io.natsboot.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;

/**
 * {@link NatsConnectionDetails} taken from {@link NatsProperties}.
 */
public class PropertiesNatsConnectionDetails implements NatsConnectionDetails {

	private final NatsProperties properties;

	private final @Nullable SslBundles sslBundles;

	/**
	 * Creates details from properties.
	 * @param properties the {@code nats.*} properties
	 * @param sslBundles the application's SSL bundles, or null when it has none
	 */
	public PropertiesNatsConnectionDetails(NatsProperties properties, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<String> getServers() {
		return this.properties.getServers();
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public @Nullable String getToken() {
		return this.properties.getToken();
	}

	@Override
	public @Nullable String getNkeySeed() {
		return this.properties.getNkeySeed();
	}

	@Override
	public @Nullable Resource getCredentials() {
		return this.properties.getCredentials();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		String name = this.properties.getSsl().getBundle();
		if (name == null || name.isBlank()) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException("nats.ssl.bundle", name,
					"No SSL bundles are configured; define it under spring.ssl.bundle.pem or spring.ssl.bundle.jks");
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException("nats.ssl.bundle", name,
					"No SSL bundle of that name is defined under spring.ssl.bundle.pem or spring.ssl.bundle.jks");
		}
	}

	@Override
	public String toString() {
		return "PropertiesNatsConnectionDetails" + this.properties;
	}

}
