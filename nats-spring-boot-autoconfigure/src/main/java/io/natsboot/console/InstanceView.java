package io.natsboot.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.natsboot.instance.InstanceInfo;
import io.natsboot.instance.InstanceRegistry;
import io.natsboot.instance.RegisteredInstance;

/**
 * The instances of the application, from the instance registry: each with its host,
 * start, version, task queues and listeners, and whether it still heart-beats.
 */
public class InstanceView {

	private final InstanceRegistry registry;

	/**
	 * Creates the view.
	 * @param registry the instance registry
	 */
	public InstanceView(InstanceRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The instances.
	 * @return {@code instances}, {@code heartbeatSeconds} and {@code timeoutSeconds}
	 */
	public Map<String, Object> describe() {
		List<Map<String, Object>> instances = this.registry.instances().stream().map(InstanceView::describe).toList();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("instances", instances);
		view.put("heartbeatSeconds", this.registry.getHeartbeat().toSeconds());
		view.put("timeoutSeconds", this.registry.getTimeout().toSeconds());
		view.put("problem", this.registry.getLastProblem());
		return view;
	}

	private static Map<String, Object> describe(RegisteredInstance instance) {
		InstanceInfo info = instance.info();
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("id", info.id());
		described.put("application", info.application());
		described.put("host", info.host());
		described.put("pid", info.pid());
		described.put("startedAt", info.startedAt());
		described.put("heartbeatAt", info.heartbeatAt());
		described.put("version", info.version());
		described.put("natsbootVersion", info.natsbootVersion());
		described.put("queues", info.queues());
		described.put("listeners", info.listeners());
		described.put("state", instance.state().name());
		described.put("self", instance.self());
		return described;
	}

}
