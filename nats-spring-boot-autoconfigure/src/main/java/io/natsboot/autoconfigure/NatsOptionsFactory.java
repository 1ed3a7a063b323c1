package io.natsboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.NatsUri;
import io.natsboot.core.NatsInvalidSubjectException;
import io.natsboot.core.NatsSystemSubjects;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/**
 * Builds the jnats {@link Options.Builder} from {@link NatsConnectionDetails} (servers,
 * authentication, TLS) and {@link NatsProperties} (timeouts, reconnect policy),
 * validating both: bad configuration fails with a message that names the property.
 */
class NatsOptionsFactory {

	private static final Duration MINIMUM_JITTER = Duration.ofMillis(1);

	private final NatsProperties properties;

	private final NatsConnectionDetails details;

	private final @Nullable String applicationName;

	NatsOptionsFactory(NatsProperties properties, NatsConnectionDetails details, @Nullable String applicationName) {
		this.properties = properties;
		this.details = details;
		this.applicationName = applicationName;
	}

	Options.Builder createBuilder() {
		Options.Builder builder = new Options.Builder().servers(servers().toArray(String[]::new))
			.connectionTimeout(positive("nats.connection-timeout", this.properties.getConnectionTimeout()))
			.pingInterval(positive("nats.ping-interval", this.properties.getPingInterval()))
			.reportNoResponders();
		configureReconnect(builder);
		String connectionName = StringUtils.hasText(this.properties.getConnectionName())
				? this.properties.getConnectionName() : this.applicationName;
		if (StringUtils.hasText(connectionName)) {
			builder.connectionName(connectionName);
		}
		configureInboxPrefix(builder);
		configureAuthentication(builder);
		configureTls(builder);
		positive("nats.drain-timeout", this.properties.getDrainTimeout());
		return builder;
	}

	private List<String> servers() {
		List<String> servers = this.details.getServers();
		if (servers == null || servers.isEmpty() || servers.stream().allMatch((url) -> !StringUtils.hasText(url))) {
			throw new InvalidConfigurationPropertyValueException("nats.servers", servers,
					"List at least one server URL, e.g. nats://localhost:4222");
		}
		for (String server : servers) {
			try {
				new NatsUri(server.trim());
			}
			catch (URISyntaxException | RuntimeException ex) {
				throw new InvalidConfigurationPropertyValueException("nats.servers", server, "Not a NATS server URL ("
						+ ex.getMessage() + "); use nats://host:port, tls://host:port or ws(s)://host:port");
			}
		}
		return servers.stream().map(String::trim).toList();
	}

	private void configureReconnect(Options.Builder builder) {
		NatsProperties.Reconnect reconnect = this.properties.getReconnect();
		if (reconnect.getMaxAttempts() < -1) {
			throw new InvalidConfigurationPropertyValueException("nats.reconnect.max-attempts",
					reconnect.getMaxAttempts(), "Use -1 to reconnect forever, 0 never, or a positive count");
		}
		if (reconnect.getBufferSize().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("nats.reconnect.buffer-size",
					reconnect.getBufferSize(), "Use a size of 0 or more, e.g. 8MB");
		}
		builder.maxReconnects(reconnect.getMaxAttempts())
			.reconnectWait(notNegative("nats.reconnect.wait", reconnect.getWait()))
			.reconnectJitter(jitter(reconnect.getJitter()))
			.reconnectJitterTls(jitter(reconnect.getJitter()))
			.reconnectBufferSize(reconnect.getBufferSize().toBytes());
	}

	private void configureInboxPrefix(Options.Builder builder) {
		String prefix = this.properties.getInboxPrefix();
		if (!StringUtils.hasText(prefix) || prefix.contains(" ") || prefix.contains("*") || prefix.contains(">")
				|| prefix.startsWith(".") || prefix.contains("..")) {
			throw new InvalidConfigurationPropertyValueException("nats.inbox-prefix", prefix,
					"Use a subject prefix without spaces or wildcards, e.g. _INBOX or _INBOX_tenant-a");
		}
		// jnats adds the dot that separates the prefix from the inbox's own tokens
		builder.inboxPrefix(prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix);
	}

	private void configureAuthentication(Options.Builder builder) {
		String username = this.details.getUsername();
		String password = this.details.getPassword();
		String token = this.details.getToken();
		String nkeySeed = this.details.getNkeySeed();
		Resource credentials = this.details.getCredentials();
		int methods = (StringUtils.hasText(username) ? 1 : 0) + (StringUtils.hasText(token) ? 1 : 0)
				+ (StringUtils.hasText(nkeySeed) ? 1 : 0) + ((credentials != null) ? 1 : 0);
		if (methods > 1) {
			throw new InvalidConfigurationPropertyValueException("nats.username", username,
					"Configure one authentication method: nats.username/nats.password, nats.token, "
							+ "nats.nkey-seed or nats.credentials");
		}
		if (StringUtils.hasText(password) && !StringUtils.hasText(username)) {
			throw new InvalidConfigurationPropertyValueException("nats.password", "******",
					"A password needs nats.username");
		}
		if (StringUtils.hasText(username)) {
			builder.userInfo(username, (password != null) ? password : "");
		}
		else if (StringUtils.hasText(token)) {
			builder.token(token.toCharArray());
		}
		else if (StringUtils.hasText(nkeySeed)) {
			builder.authHandler(nkeyAuthHandler(nkeySeed.trim()));
		}
		else if (credentials != null) {
			builder.authHandler(credentialsAuthHandler(credentials));
		}
	}

	private static AuthHandler nkeyAuthHandler(String seed) {
		NKey key;
		try {
			key = NKey.fromSeed(seed.toCharArray());
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException("nats.nkey-seed", "******",
					"Not a valid NKey seed (" + ex.getMessage() + ")");
		}
		if (key.getType() != NKey.Type.USER) {
			throw new InvalidConfigurationPropertyValueException("nats.nkey-seed", "******",
					"Expected a user NKey seed (starting with SU), got a seed of type " + key.getType());
		}
		return Nats.staticCredentials(null, seed.toCharArray());
	}

	private static AuthHandler credentialsAuthHandler(Resource credentials) {
		if (!credentials.exists()) {
			throw new InvalidConfigurationPropertyValueException("nats.credentials", credentials.getDescription(),
					"The credentials file does not exist");
		}
		try {
			if (credentials.isFile()) {
				// Read on every connect, so a rotated file is picked up at the next
				// reconnect.
				return Nats.credentials(credentials.getFile().getAbsolutePath());
			}
			try (InputStream in = credentials.getInputStream()) {
				return Nats.staticCredentials(in.readAllBytes());
			}
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException("nats.credentials", credentials.getDescription(),
					"The credentials cannot be read: " + ex.getMessage());
		}
	}

	private void configureTls(Options.Builder builder) {
		SslBundle bundle = this.details.getSslBundle();
		if (bundle != null) {
			builder.sslContext(bundle.createSslContext());
		}
		else if (this.properties.getSsl().isEnabled()) {
			try {
				builder.secure();
			}
			catch (GeneralSecurityException ex) {
				throw new InvalidConfigurationPropertyValueException("nats.ssl.enabled", true,
						"The JVM's default TLS context is not available: " + ex.getMessage());
			}
		}
	}

	private static Duration jitter(Duration jitter) {
		notNegative("nats.reconnect.jitter", jitter);
		// jnats draws the jitter from [0, millis) and fails on an empty range: 1ms is the
		// least it takes.
		return (jitter.toMillis() < 1) ? MINIMUM_JITTER : jitter;
	}

	/** JetStream replicates a stream to at most this many servers. */
	private static final int MAX_REPLICAS = 5;

	/**
	 * The replicas of a feature's streams and buckets: its own setting, else
	 * {@code nats.jetstream.replicas}.
	 * @param property the feature's property
	 * @param own the feature's setting, or null
	 * @param jetstream the JetStream settings
	 * @return 1 to 5
	 */
	static int replicas(String property, @Nullable Integer own, NatsProperties.Jetstream jetstream) {
		int replicas = (own != null) ? own : jetstream.getReplicas();
		if (replicas < 1 || replicas > MAX_REPLICAS) {
			throw new InvalidConfigurationPropertyValueException((own != null) ? property : "nats.jetstream.replicas",
					replicas, "Use 1 to " + MAX_REPLICAS + " (JetStream's limit), at most the cluster's size");
		}
		return replicas;
	}

	/**
	 * The prefix of natsboot's own subjects, {@code nats.system-subject-prefix}.
	 * @param properties the {@code nats.*} properties
	 * @return the subjects under it
	 */
	static NatsSystemSubjects systemSubjects(NatsProperties properties) {
		String prefix = properties.getSystemSubjectPrefix();
		try {
			return new NatsSystemSubjects((prefix != null) ? prefix : "");
		}
		catch (NatsInvalidSubjectException ex) {
			throw new InvalidConfigurationPropertyValueException("nats.system-subject-prefix", prefix,
					ex.getMessage() + "; use dot-separated tokens without wildcards, e.g. natsboot, "
							+ "or empty for the subjects of earlier snapshots");
		}
	}

	/**
	 * How long writes are retried through a leader election.
	 * @param jetstream the JetStream settings
	 * @return the fail-over timeout, zero or more
	 */
	static Duration failoverTimeout(NatsProperties.Jetstream jetstream) {
		return notNegative("nats.jetstream.failover-timeout", jetstream.getFailoverTimeout());
	}

	static Duration positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Use a positive duration, e.g. 2s");
		}
		return value;
	}

	private static Duration notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Use a duration of 0 or more");
		}
		return value;
	}

}
