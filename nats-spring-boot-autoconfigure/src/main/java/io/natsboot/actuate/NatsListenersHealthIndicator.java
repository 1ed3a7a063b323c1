package io.natsboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.listener.SubscriptionListenerContainer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the durable listeners: DOWN when a running one is stalled (its consumer
 * cannot be set up or read, e.g. the stream is gone, or its pull loop stopped making
 * progress), so a consumer that silently stopped never hides behind an UP connection.
 * Each durable listener is a detail with its state, lag and problem. A core listener that
 * stopped itself after its timeout ended on purpose: it is a detail with state
 * {@code STOPPED_BY_TIMEOUT} and does not make the health DOWN.
 */
public class NatsListenersHealthIndicator extends AbstractHealthIndicator {

	/** The state of a listener that stopped itself after its timeout. */
	static final String STOPPED_BY_TIMEOUT = "STOPPED_BY_TIMEOUT";

	private final NatsListenerEndpointRegistry registry;

	/**
	 * Creates the indicator.
	 * @param registry the listener containers
	 */
	public NatsListenersHealthIndicator(NatsListenerEndpointRegistry registry) {
		super("NATS listeners health check failed");
		this.registry = registry;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean healthy = true;
		for (NatsListenerContainer container : this.registry.getListenerContainers()) {
			if (container instanceof JetStreamListenerContainer durable) {
				PullWorkerStatus status = durable.status();
				healthy &= status.healthy();
				builder.withDetail(container.getId(), describe(status));
			}
			else if (container.isStoppedByTimeout()) {
				// it ended on purpose (@NatsListener(timeout)): shown, never DOWN
				builder.withDetail(container.getId(),
						Map.of("subject", container.getSubject(), "subscribed", false, "state", STOPPED_BY_TIMEOUT));
			}
			else if (container instanceof SubscriptionListenerContainer core && core.isRunning()
					&& core.getProblem() != null) {
				// e.g. the server refused the subscription: running, yet it can never
				// receive a message
				healthy = false;
				builder.withDetail(container.getId(),
						Map.of("subject", core.getSubject(), "subscribed", false, "problem", core.getProblem()));
			}
		}
		if (healthy) {
			builder.up();
		}
		else {
			builder.down();
		}
	}

	/**
	 * Describes a worker for health and the actuator endpoint.
	 * @param status the worker's status
	 * @return its figures by name
	 */
	static Map<String, Object> describe(PullWorkerStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("stream", status.stream());
		details.put("consumer", status.consumer());
		details.put("state", status.state().name());
		details.put("healthy", status.healthy());
		if (status.problem() != null) {
			details.put("problem", status.problem());
		}
		details.put("pending", status.pending());
		details.put("ackPending", status.ackPending());
		details.put("redelivered", status.redelivered());
		details.put("handled", status.handled());
		details.put("failed", status.failed());
		details.put("deadLettered", status.deadLettered());
		if (status.lastPullAt() != null) {
			details.put("lastPullAt", status.lastPullAt().toString());
		}
		return details;
	}

}
