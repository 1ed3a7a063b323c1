package io.natsboot.task;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task kept as a dead letter in the {@code TASKS_DEAD} stream.
 *
 * @param id the task id
 * @param type the task type
 * @param queue the queue
 * @param sequence its sequence in the dead-letter stream
 * @param payload the task's payload
 * @param headers the task's headers plus the {@code Dead-Letter-*} ones
 * @param exceptionClass the class of the last failure
 * @param exceptionMessage the message of the last failure
 * @param attempts runs it had
 * @param failedAt when it was dead-lettered, or null when unknown
 */
public record DeadTask(String id, String type, String queue, long sequence, byte[] payload,
		Map<String, List<String>> headers, String exceptionClass, String exceptionMessage, long attempts,
		@Nullable Instant failedAt) {
}
