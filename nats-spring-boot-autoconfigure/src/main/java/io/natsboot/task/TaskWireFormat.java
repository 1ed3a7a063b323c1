package io.natsboot.task;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;

import io.natsboot.core.NatsSystemSubjects;
import org.jspecify.annotations.Nullable;

/**
 * The task message format, which a plain NATS client can produce: subject
 * {@code [ns.]natsboot.tasks.<queue>.<priority>.<type>}, JSON payload, headers
 * {@code Task-Id}, {@code Task-Type}, optional {@code Task-Not-Before} (RFC 3339, UTC),
 * {@code Task-Max-Attempts}, {@code Task-Tracking} and {@code Task-Status-Revision};
 * {@code Nats-Msg-Id} is the task id (dedupe). Dead letters go to
 * {@code [ns.]natsboot.tasks-dead.<queue>}. {@code natsboot} is the prefix of natsboot's
 * own subjects ({@code nats.system-subject-prefix}, see {@link NatsSystemSubjects});
 * subjects here are given without the namespace.
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

	/**
	 * Header: the revision of the status the enqueue created (optional): a worker that
	 * receives the task for the first time starts its attempt with one compare-and-set on
	 * that revision, without reading the status first.
	 */
	public static final String STATUS_REVISION_HEADER = "Task-Status-Revision";

	/**
	 * Header: what the task records ({@code full}, {@code results} or {@code none}, see
	 * {@link TaskTracking}); optional, the worker's queue setting when missing.
	 */
	public static final String TRACKING_HEADER = "Task-Tracking";

	/** The token of task subjects after the prefix. */
	public static final String TASKS_TOKEN = "tasks";

	/** The token of dead-letter subjects after the prefix. */
	public static final String DEAD_TASKS_TOKEN = "tasks-dead";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private final String tasks;

	private final String deadTasks;

	/**
	 * Creates the format under a prefix.
	 * @param system the prefix of natsboot's own subjects
	 */
	public TaskWireFormat(NatsSystemSubjects system) {
		this.tasks = system.subject(TASKS_TOKEN);
		this.deadTasks = system.subject(DEAD_TASKS_TOKEN);
	}

	/**
	 * The subject of a task, without namespace.
	 * @param queue the queue
	 * @param priority the priority
	 * @param type the type
	 * @return {@code natsboot.tasks.<queue>.<priority>.<type>}
	 */
	public String subject(String queue, TaskPriority priority, String type) {
		return this.tasks + "." + queue + "." + priority.token() + "." + type;
	}

	/**
	 * The filter subject of one priority of a queue, without namespace.
	 * @param queue the queue
	 * @param priority the priority
	 * @return {@code natsboot.tasks.<queue>.<priority>.*}
	 */
	public String filter(String queue, TaskPriority priority) {
		return this.tasks + "." + queue + "." + priority.token() + ".*";
	}

	/**
	 * The filter subject of all tasks of a queue, without namespace.
	 * @param queue the queue
	 * @return {@code natsboot.tasks.<queue>.>}
	 */
	public String queueFilter(String queue) {
		return this.tasks + "." + queue + ".>";
	}

	/**
	 * The subjects of the task stream, without namespace.
	 * @return {@code natsboot.tasks.>}
	 */
	public String streamSubjects() {
		return this.tasks + ".>";
	}

	/**
	 * What every task subject starts with, without namespace.
	 * @return {@code natsboot.tasks}
	 */
	public String subjectRoot() {
		return this.tasks;
	}

	/**
	 * The dead-letter subject of a queue, without namespace.
	 * @param queue the queue
	 * @return {@code natsboot.tasks-dead.<queue>}
	 */
	public String deadLetterSubject(String queue) {
		return this.deadTasks + "." + queue;
	}

	/**
	 * The subjects of the dead-letter stream, without namespace.
	 * @return {@code natsboot.tasks-dead.>}
	 */
	public String deadLetterStreamSubjects() {
		return this.deadTasks + ".>";
	}

	/**
	 * The same task's subject in this format, for a task subject of any prefix (a dead
	 * letter's original subject from before a prefix change): its last three tokens are
	 * the queue, priority and type.
	 * @param subject a task subject, without namespace
	 * @return the subject under this format's prefix, or the subject itself when it is no
	 * task subject
	 */
	public String current(String subject) {
		String[] tokens = subject.split("\\.");
		if (tokens.length < 4) {
			return subject;
		}
		return this.tasks + "." + String.join(".", Arrays.copyOfRange(tokens, tokens.length - 3, tokens.length));
	}

	/**
	 * The queue of a task subject of any prefix and namespace.
	 * @param subject a task subject
	 * @return the queue, or null when it is no task subject
	 */
	static @Nullable String queueOf(String subject) {
		String[] tokens = subject.split("\\.");
		return (tokens.length >= 4) ? tokens[tokens.length - 3] : null;
	}

	/**
	 * The priority of a task subject of any prefix and namespace.
	 * @param subject a task subject
	 * @return the priority, {@link TaskPriority#NORMAL} when it names none
	 */
	static TaskPriority priorityOf(String subject) {
		String[] tokens = subject.split("\\.");
		if (tokens.length >= 4) {
			for (TaskPriority candidate : TaskPriority.values()) {
				if (candidate.token().equals(tokens[tokens.length - 2])) {
					return candidate;
				}
			}
		}
		return TaskPriority.NORMAL;
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
