package io.natsboot.actuate;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsPings;
import io.natsboot.core.NatsServerUrls;
import io.natsboot.core.NatsTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the NATS connection: UP while connected, with the server's id, name, version,
 * JetStream availability and the round-trip time of a ping ({@code rttMillis}); DOWN
 * otherwise, with the connection status ({@code CONNECTING} until the first connect), the
 * servers it tries and the last error (why the latest connect failed).
 */
public class NatsHealthIndicator extends AbstractHealthIndicator {

	/** Longest wait for a turn to ping (see {@link NatsPings}). */
	private static final Duration PING_WAIT = Duration.ofSeconds(2);

	private final Connection connection;

	private final NatsExceptionTranslator translator;

	/**
	 * Creates the indicator.
	 * @param connection the connection to report on
	 */
	public NatsHealthIndicator(Connection connection) {
		this(connection, new NatsExceptionTranslator());
	}

	/**
	 * Creates the indicator that reports why connecting failed as the connection's
	 * listeners heard it (jnats itself keeps only the last server error, and nothing for
	 * a TLS failure).
	 * @param connection the connection to report on
	 * @param translator the translator the connection's error listener feeds
	 */
	public NatsHealthIndicator(Connection connection, NatsExceptionTranslator translator) {
		super("NATS health check failed");
		this.connection = connection;
		this.translator = translator;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws IOException, TimeoutException, InterruptedException {
		Connection.Status status = this.connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			builder.down().withDetail("status", status.name());
			builder.withDetail("servers", NatsServerUrls.redact(this.connection.getServers()));
			String lastError = NatsTemplate.connectionError(this.connection, this.translator);
			if (lastError != null) {
				builder.withDetail("lastError", lastError);
			}
			return;
		}
		ServerInfo info = this.connection.getServerInfo();
		Duration rtt;
		try (NatsPings.Permit permit = NatsPings.acquire(this.connection, PING_WAIT)) {
			rtt = this.connection.RTT();
		}
		builder.up()
			.withDetail("status", status.name())
			.withDetail("server", NatsServerUrls.redact(this.connection.getConnectedUrl()))
			.withDetail("serverId", info.getServerId())
			.withDetail("serverName", info.getServerName())
			.withDetail("version", info.getVersion())
			.withDetail("jetStream", info.isJetStreamAvailable())
			.withDetail("rttMillis", millis(rtt));
	}

	/**
	 * A duration as health and {@code /actuator/nats} show it: milliseconds, with a
	 * fraction, in a detail whose name ends in {@code Millis}.
	 * @param duration the duration, or null
	 * @return the milliseconds, or null
	 */
	static @Nullable Double millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1_000_000.0 : null;
	}

}
