package io.natsboot.task;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks counted by queue, type and state from their statuses
 * ({@link TaskQueue#census(int)}).
 *
 * @param types the counts per queue and type, by queue then type
 * @param running the running tasks, the most recently updated first (at most 100)
 * @param read the statuses read
 * @param limit the most that were to be read
 * @param truncated whether there were more statuses than the limit (the counts then cover
 * only those read)
 */
public record TaskCensus(List<TypeCounts> types, List<TaskStatus> running, int read, int limit, boolean truncated) {

	public TaskCensus {
		types = List.copyOf(types);
		running = List.copyOf(running);
	}

	/**
	 * The tasks of one type in one queue, by state.
	 *
	 * @param queue the queue
	 * @param type the task type
	 * @param counts tasks per state, every state present
	 */
	public record TypeCounts(String queue, String type, Map<TaskState, Long> counts) {

		public TypeCounts {
			// in the states' order, for readers and JSON alike
			counts = Collections.unmodifiableMap(new EnumMap<>(counts));
		}

	}

}
