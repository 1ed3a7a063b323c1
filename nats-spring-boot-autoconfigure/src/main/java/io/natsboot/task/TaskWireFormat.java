package io.natsboot.task;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.natsboot.core.NatsSystemSubjects;
import org.jspecify.annotations.Nullable;

/**
 * The task message format, which a plain NATS client can produce: subject
 * {@code [ns.]natsboot.tasks.<queue>.<priority>.<type>}, JSON payload, headers
 * {@code Task-Id}, {@code Task-Type}, optional {@code Task-Not-Before} (RFC 3339, UTC),
 * {@code Task-Max-Attempts}, {@code Task-Tracking} and {@code Task-Status-Revision};
 * {@code Nats-Msg-Id} is the task id (dedupe). Each dead task is kept on a subject of its
 * own, {@code [ns.]natsboot.tasks-dead.<queue>.<id>} (a message without a valid
 * {@code Task-Id} under {@code seq-<sequence>}, its sequence in the task stream), so that
 * one dead letter is found by id with a single "last message for subject" read however
 * many there are; dead letters of earlier versions are on
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

	/** What a dead letter of a message without a valid task id is filed under. */
	private static final String SEQUENCE_ID_PREFIX = "seq-";

	private final NatsSystemSubjects system;

	private final String tasks;

	private final String deadTasks;

	/**
	 * Creates the format under a prefix.
	 * @param system the prefix of natsboot's own subjects
	 */
	public TaskWireFormat(NatsSystemSubjects system) {
		this.system = system;
		this.tasks = system.subject(TASKS_TOKEN);
		this.deadTasks = system.subject(DEAD_TASKS_TOKEN);
	}

	/**
	 * This format, then the same under the prefixes a queue may have been moved from: the
	 * default prefix and none (the subjects of earlier snapshots). Dead letters keep the
	 * subjects they were stored under when the prefix changes, so a lookup by id tries
	 * each.
	 * @return this format first, without repeats
	 */
	public List<TaskWireFormat> withFormerPrefixes() {
		List<TaskWireFormat> formats = new ArrayList<>();
		formats.add(this);
		for (String prefix : List.of(NatsSystemSubjects.DEFAULT_PREFIX, "")) {
			if (formats.stream().noneMatch((format) -> format.system.prefix().equals(prefix))) {
				formats.add(new TaskWireFormat(new NatsSystemSubjects(prefix)));
			}
		}
		return formats;
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
	 * The dead-letter subject of a queue, without namespace: where earlier versions kept
	 * all dead letters of the queue, and what the queue's per-task subjects start with.
	 * @param queue the queue
	 * @return {@code natsboot.tasks-dead.<queue>}
	 */
	public String deadLetterSubject(String queue) {
		return this.deadTasks + "." + queue;
	}

	/**
	 * The dead-letter subject of one task, without namespace.
	 * @param queue the queue
	 * @param id the task id (valid, see {@link #isValidId}), or {@code seq-<sequence>}
	 * for a message without one
	 * @return {@code natsboot.tasks-dead.<queue>.<id>}
	 */
	public String deadLetterSubject(String queue, String id) {
		return deadLetterSubject(queue) + "." + id;
	}

	/**
	 * The filter subject of the per-task dead letters of a queue, without namespace.
	 * @param queue the queue
	 * @return {@code natsboot.tasks-dead.<queue>.*}
	 */
	public String deadLetterFilter(String queue) {
		return deadLetterSubject(queue) + ".*";
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

	/**
	 * The last token of a dead letter's subject: the id a task is filed under.
	 * @param id the message's {@code Task-Id} header, or null
	 * @param sequence the message's sequence in the task stream
	 * @return the id, trimmed, when it is a valid task id; {@code seq-<sequence>} when it
	 * is missing or could not be a subject token
	 */
	static String deadLetterId(@Nullable String id, long sequence) {
		String trimmed = (id != null) ? id.trim() : "";
		return isValidId(trimmed) ? trimmed : SEQUENCE_ID_PREFIX + sequence;
	}

	/**
	 * The id a per-task dead-letter subject of any prefix and namespace names.
	 * @param subject a dead letter's subject
	 * @return its last token when the token two before it is {@value #DEAD_TASKS_TOKEN},
	 * else null (a dead letter of an earlier version, on its queue's subject)
	 */
	static @Nullable String idOfDeadLetterSubject(String subject) {
		String[] tokens = subject.split("\\.");
		return (tokens.length >= 3 && tokens[tokens.length - 3].equals(DEAD_TASKS_TOKEN)) ? tokens[tokens.length - 1]
				: null;
	}

	/**
	 * Whether an id can be a task's: 1 to 128 letters, digits, {@code -} and {@code _}.
	 * @param id the id
	 * @return true when valid
	 */
	static boolean isValidId(String id) {
		return NAME.matcher(id).matches();
	}

	static String checkId(String id) {
		if (!isValidId(id)) {
			throw new IllegalArgumentException("Task id '" + id
					+ "' is invalid: use 1 to 128 letters, digits, '-' and '_' (it is a key-value key and a message id)");
		}
		return id;
	}

	/**
	 * Checks a queue name.
	 * @param name the name
	 * @return the name
	 * @throws IllegalArgumentException when it is no valid subject token
	 */
	public static String checkQueueName(String name) {
		return checkName(name, "queue");
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
