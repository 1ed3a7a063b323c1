package io.natsboot.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.listener.SubscriptionListenerContainer;

/**
 * The listeners: every core and durable {@code @NatsListener} with its subject, queue
 * group or consumer, state, concurrency and, for durable ones, lag, ack pending,
 * redeliveries and dead letters; and stop and start by id. From the containers' own
 * state: it answers while NATS is away.
 */
public class ListenerView {

	private final NatsListenerEndpointRegistry registry;

	/**
	 * Creates the view.
	 * @param registry the listener containers
	 */
	public ListenerView(NatsListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The listeners.
	 * @return {@code listeners}
	 */
	public Map<String, Object> describe() {
		List<Map<String, Object>> listeners = this.registry.getListenerContainers()
			.stream()
			.map(ListenerView::describe)
			.toList();
		return Map.of("listeners", listeners);
	}

	/**
	 * Stops a listener.
	 * @param id the listener id
	 * @return the listener, stopped
	 */
	public Map<String, Object> stop(String id) {
		NatsListenerContainer container = container(id);
		container.stop();
		return describe(container);
	}

	/**
	 * Starts a listener.
	 * @param id the listener id
	 * @return the listener, started
	 */
	public Map<String, Object> start(String id) {
		NatsListenerContainer container = container(id);
		container.start();
		return describe(container);
	}

	private NatsListenerContainer container(String id) {
		NatsListenerContainer container = this.registry.getListenerContainer(id);
		if (container == null) {
			throw new ConsoleNotFoundException(
					"There is no listener '" + id + "'; the listeners are " + this.registry.getListenerContainerIds());
		}
		return container;
	}

	static Map<String, Object> describe(NatsListenerContainer container) {
		Map<String, Object> listener = new LinkedHashMap<>();
		listener.put("id", container.getId());
		listener.put("subject", container.getSubject());
		listener.put("running", container.isRunning());
		listener.put("receiving", container.isSubscribed());
		if (container instanceof JetStreamListenerContainer durable) {
			PullWorkerStatus status = durable.status();
			listener.put("kind", "durable");
			listener.put("queueGroup", null);
			listener.put("stream", status.stream());
			listener.put("durable", status.consumer());
			listener.put("state", status.state().name());
			listener.put("concurrency", durable.getWorker().getSettings().concurrency());
			listener.put("pending", status.pending());
			listener.put("ackPending", status.ackPending());
			listener.put("redelivered", status.redelivered());
			listener.put("handled", status.handled());
			listener.put("failed", status.failed());
			listener.put("deadLettered", status.deadLettered());
			listener.put("problem", status.problem());
		}
		else {
			listener.put("kind", "core");
			SubscriptionListenerContainer core = (container instanceof SubscriptionListenerContainer subscription)
					? subscription : null;
			listener.put("queueGroup", (core != null) ? core.getQueue() : null);
			listener.put("stream", null);
			listener.put("durable", null);
			listener.put("state", container.isStoppedByTimeout() ? "STOPPED_BY_TIMEOUT" : container.isRunning()
					? (container.isSubscribed() ? "RECEIVING" : "WAITING_FOR_CONNECTION") : "STOPPED");
			listener.put("concurrency", (core != null) ? core.getConcurrency() : 1);
			listener.put("problem", (core != null) ? core.getProblem() : null);
		}
		return listener;
	}

}
