package io.natsboot.instance;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one instance of the application writes to the instance registry with each
 * heartbeat.
 *
 * @param id the instance id, unique per run
 * @param application the application's name ({@code spring.application.name})
 * @param host the host name
 * @param pid the process id
 * @param startedAt when the instance started
 * @param heartbeatAt when this heartbeat was written
 * @param version the application's version (its build info or jar manifest), or null
 * @param natsbootVersion natsboot's version, or null when run from classes
 * @param queues the task queues this instance works on
 * @param listeners the ids of its listeners
 */
public record InstanceInfo(String id, String application, String host, long pid, Instant startedAt, Instant heartbeatAt,
		@Nullable String version, @Nullable String natsbootVersion, List<String> queues, List<String> listeners) {

	public InstanceInfo {
		queues = List.copyOf(queues);
		listeners = List.copyOf(listeners);
	}

	/**
	 * This description at a new heartbeat.
	 * @param now the heartbeat's time
	 * @param queues the task queues worked on now
	 * @param listeners the listeners now
	 * @return the description to write
	 */
	public InstanceInfo beatingAt(Instant now, List<String> queues, List<String> listeners) {
		return new InstanceInfo(this.id, this.application, this.host, this.pid, this.startedAt, now, this.version,
				this.natsbootVersion, queues, listeners);
	}

}
