package io.natsboot.task;

/**
 * One task of {@link TaskQueue#enqueueAll(java.util.List)}: what
 * {@link TaskQueue#enqueue(String, Object, TaskOptions)} takes.
 *
 * @param type the task type (a {@link io.natsboot.annotation.TaskHandler} value)
 * @param payload the payload, converted like any message payload (JSON for objects)
 * @param options queue, priority, delay, max attempts, id, headers
 */
public record TaskRequest(String type, Object payload, TaskOptions options) {

	/**
	 * A task for the default queue with normal priority.
	 * @param type the task type
	 * @param payload the payload
	 * @return the request
	 */
	public static TaskRequest of(String type, Object payload) {
		return new TaskRequest(type, payload, TaskOptions.priority(TaskPriority.NORMAL));
	}

	/**
	 * A task with options.
	 * @param type the task type
	 * @param payload the payload
	 * @param options queue, priority, delay, max attempts, id, headers
	 * @return the request
	 */
	public static TaskRequest of(String type, Object payload, TaskOptions options) {
		return new TaskRequest(type, payload, options);
	}

}
