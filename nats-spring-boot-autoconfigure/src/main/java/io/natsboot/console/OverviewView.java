package io.natsboot.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Statistics;
import io.nats.client.api.ServerInfo;
import io.natsboot.core.NatsHealth;
import io.natsboot.core.NatsTemplate;
import org.jspecify.annotations.Nullable;

/**
 * The overview: the connection (server, version, round-trip time, reconnects, message
 * counts), the health of natsboot's components and the charts' rates. It answers whatever
 * state NATS is in: that is when an operator opens it.
 */
public class OverviewView {

	private final NatsTemplate nats;

	private final ConsoleHealth health;

	private final @Nullable ConsoleRates rates;

	/**
	 * Creates the view.
	 * @param nats the template
	 * @param health natsboot's health indicators
	 * @param rates the charts' rates, or null for none
	 */
	public OverviewView(NatsTemplate nats, ConsoleHealth health, @Nullable ConsoleRates rates) {
		this.nats = nats;
		this.health = health;
		this.rates = rates;
	}

	/**
	 * The overview.
	 * @return {@code connection}, {@code health} and {@code charts}
	 */
	public Map<String, Object> describe() {
		Map<String, Object> overview = new LinkedHashMap<>();
		overview.put("connection", connection());
		overview.put("health", this.health.components());
		overview.put("charts", (this.rates != null) ? this.rates.describe()
				: Map.of("intervalSeconds", 0, "timestamps", List.of(), "series", List.of()));
		return overview;
	}

	private Map<String, Object> connection() {
		Connection connection = this.nats.getConnection();
		// a ping only while connected: the deep check waits for its answer
		NatsHealth shallow = this.nats.health(false);
		boolean connected = shallow.status() == Connection.Status.CONNECTED;
		NatsHealth health = connected ? this.nats.health(true) : shallow;
		Statistics statistics = connection.getStatistics();
		ServerInfo server = connected ? connection.getServerInfo() : null;
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("status", health.status().name());
		description.put("up", health.up());
		description.put("server", health.server());
		description.put("serverName", (server != null) ? server.getServerName() : null);
		description.put("cluster", (server != null) ? server.getCluster() : null);
		description.put("version", health.serverVersion());
		description.put("jetStream", health.jetStream());
		description.put("namespace", this.nats.namespace());
		description.put("rttMillis", (health.rtt() != null) ? health.rtt().toNanos() / 1_000_000.0 : null);
		description.put("reconnects", statistics.getReconnects());
		description.put("inMessages", statistics.getInMsgs());
		description.put("outMessages", statistics.getOutMsgs());
		description.put("inBytes", statistics.getInBytes());
		description.put("outBytes", statistics.getOutBytes());
		description.put("droppedMessages", statistics.getDroppedCount());
		description.put("lastError", health.error());
		return description;
	}

}
