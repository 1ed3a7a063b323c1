package io.natsboot.actuate;

import java.io.IOException;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;
import io.natsboot.core.NatsServerUrls;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the NATS connection: UP while connected, with the server's id, name, version,
 * JetStream availability and the round-trip time of a ping; DOWN otherwise, with the connection
 * status, the servers it tries and the last error.
 */
public class NatsHealthIndicator extends AbstractHealthIndicator {

	private final Connection connection;

	/**
	 * Creates the indicator.
	 * @param connection the connection to report on
	 */
	public NatsHealthIndicator(Connection connection) {
		super("NATS health check failed");
		this.connection = connection;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws IOException {
		Connection.Status status = this.connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			builder.down().withDetail("status", status.name());
			builder.withDetail("servers", NatsServerUrls.redact(this.connection.getServers()));
			String lastError = this.connection.getLastError();
			if (lastError != null && !lastError.isBlank()) {
				builder.withDetail("lastError", lastError);
			}
			return;
		}
		ServerInfo info = this.connection.getServerInfo();
		Duration rtt = this.connection.RTT();
		builder.up()
			.withDetail("status", status.name())
			.withDetail("server", NatsServerUrls.redact(this.connection.getConnectedUrl()))
			.withDetail("serverId", info.getServerId())
			.withDetail("serverName", info.getServerName())
			.withDetail("version", info.getVersion())
			.withDetail("jetStream", info.isJetStreamAvailable())
			.withDetail("rttMillis", rtt.toNanos() / 1_000_000.0);
	}

}
