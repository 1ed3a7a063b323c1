package io.natsboot.task;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The task message format, which a plain NATS client can produce: subject
 * {@code [ns.]tasks.<queue>.<priority>.<type>}, JSON payload, headers {@code Task-Id},
 * {@code Task-Type}, optional {@code Task-Not-Before} (RFC 3339, UTC) and
 * {@code Task-Max-Attempts}; {@code Nats-Msg-Id} is the task id (dedupe). Dead letters go
 * to {@code [ns.]tasks-dead.<queue>}.
 */
public final class TaskWireFormat {

	/** Header: the task id. */
	public static final String ID_HEADER = "Task-Id";

	/** Header: the task type. */
	public static final String TYPE_HEADER = "Task-Type";

	/** Header: the earliest time the task may run (RFC 3339, UTC). */
	public static final String NOT_BEFORE_HEADER = "Task-Not-Before";

	/** Header: runs allowed in all (optional). */
	public static final String MAX_ATTEMPTS_HEADER = "Task-Max-Attempts";

	/** The first token of task subjects. */
	public static final String SUBJECT_PREFIX = "tasks";

	/** The first token of dead-letter subjects. */
	public static final String DEAD_SUBJECT_PREFIX = "tasks-dead";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private TaskWireFormat() {
	}

	/**
	 * The subject of a task, without namespace.
	 * @param queue the queue
	 * @param priority the priority
	 * @param type the type
	 * @return {@code tasks.<queue>.<priority>.<type>}
	 */
	public static String subject(String queue, TaskPriority priority, String type) {
		return SUBJECT_PREFIX + "." + queue + "." + priority.token() + "." + type;
	}

	/**
	 * The filter subject of one priority of a queue, without namespace.
	 * @param queue the queue
	 * @param priority the priority
	 * @return {@code tasks.<queue>.<priority>.*}
	 */
	public static String filter(String queue, TaskPriority priority) {
		return SUBJECT_PREFIX + "." + queue + "." + priority.token() + ".*";
	}

	/**
	 * The dead-letter subject of a queue, without namespace.
	 * @param queue the queue
	 * @return {@code tasks-dead.<queue>}
	 */
	public static String deadLetterSubject(String queue) {
		return DEAD_SUBJECT_PREFIX + "." + queue;
	}

	static String checkId(String id) {
		if (!NAME.matcher(id).matches()) {
			throw new IllegalArgumentException("Task id '" + id
					+ "' is invalid: use 1 to 128 letters, digits, '-' and '_' (it is a key-value key and a message id)");
		}
		return id;
	}

	static String checkName(String name, String what) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Task " + what + " '" + name
					+ "' is invalid: use 1 to 128 letters, digits, '-' and '_' (it is a subject token)");
		}
		return name;
	}

	static String formatTime(Instant time) {
		return DateTimeFormatter.ISO_INSTANT.format(time);
	}

	static @Nullable Instant parseTime(@Nullable String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text.trim(), Instant::from);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(NOT_BEFORE_HEADER + " '" + text + "' is not an RFC 3339 time", ex);
		}
	}

}
