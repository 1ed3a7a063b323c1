package io.natsboot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsHealth;
import io.natsboot.core.NatsOperations;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code nats} actuator endpoint: the connection (status, server, version,
 * statistics), the application's streams with their consumers, and the sections of every
 * {@link NatsEndpointContributor}.
 */
@Endpoint(id = "nats")
public class NatsEndpoint {

	private final NatsOperations nats;

	private final List<NatsEndpointContributor> contributors;

	/**
	 * Creates the endpoint.
	 * @param nats the operations to describe
	 * @param contributors further sections
	 */
	public NatsEndpoint(NatsOperations nats, List<NatsEndpointContributor> contributors) {
		this.nats = nats;
		this.contributors = contributors;
	}

	/**
	 * Describes the connection, streams and consumers.
	 * @return the description
	 */
	@ReadOperation
	public Map<String, Object> describe() {
		Map<String, Object> answer = new LinkedHashMap<>();
		NatsHealth health = this.nats.health(false);
		Map<String, Object> connection = new LinkedHashMap<>();
		connection.put("status", health.status().name());
		connection.put("server", health.server());
		connection.put("version", health.serverVersion());
		connection.put("jetStream", health.jetStream());
		connection.put("namespace", this.nats.namespace());
		connection.put("statistics", this.nats.statistics());
		answer.put("connection", connection);
		if (health.up() && health.jetStream()) {
			answer.put("streams", streams());
		}
		for (NatsEndpointContributor contributor : this.contributors) {
			answer.put(contributor.name(), contributor.describe());
		}
		return answer;
	}

	private Object streams() {
		try {
			return this.nats.jetStream().streams().stream().map(this::describe).toList();
		}
		catch (NatsException ex) {
			return Map.of("error", String.valueOf(ex.getMessage()));
		}
	}

	private Map<String, Object> describe(StreamInfo stream) {
		Map<String, Object> description = new LinkedHashMap<>();
		String name = stream.getConfiguration().getName();
		description.put("name", name);
		description.put("subjects", stream.getConfiguration().getSubjects());
		description.put("messages", stream.getStreamState().getMsgCount());
		description.put("bytes", stream.getStreamState().getByteCount());
		description.put("consumers", consumers(name));
		return description;
	}

	private Object consumers(String stream) {
		try {
			return this.nats.withoutNamespace().jetStream().consumers(stream).stream().map(this::describe).toList();
		}
		catch (NatsException ex) {
			return Map.of("error", String.valueOf(ex.getMessage()));
		}
	}

	private Map<String, Object> describe(ConsumerInfo consumer) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("name", consumer.getName());
		description.put("filterSubjects", consumer.getConsumerConfiguration().getFilterSubjects());
		description.put("pending", consumer.getNumPending());
		description.put("ackPending", consumer.getNumAckPending());
		description.put("redelivered", consumer.getRedelivered());
		description.put("waiting", consumer.getNumWaiting());
		return description;
	}

}
