package io.natsboot.core;

/**
 * The subjects of the streams natsboot owns (the task queue, its dead letters, durable
 * listeners' dead letters): they start with a prefix of natsboot's own,
 * {@value #DEFAULT_PREFIX} unless {@code nats.system-subject-prefix} names another, so
 * that they never capture an application's ordinary subjects ({@code tasks.resize} stays
 * the application's; natsboot's tasks travel on {@code natsboot.tasks.>}). The namespace
 * comes in front when the subject is resolved: {@code myapp.natsboot.tasks.>}. An empty
 * prefix keeps the earlier subjects ({@code tasks.>}), to drain a queue that was filled
 * before the prefix existed.
 */
public final class NatsSystemSubjects {

	/** The prefix natsboot's own subjects start with unless configured otherwise. */
	public static final String DEFAULT_PREFIX = "natsboot";

	private final String prefix;

	/**
	 * Creates the subjects under a prefix.
	 * @param prefix dot-separated subject tokens without wildcards, or empty for none
	 * @throws NatsInvalidSubjectException when the prefix is not a valid subject
	 */
	public NatsSystemSubjects(String prefix) {
		String trimmed = (prefix != null) ? prefix.trim() : "";
		if (!trimmed.isEmpty()) {
			// the same rules as a subject published to: tokens, no wildcards
			NatsSubjectResolver.none().forPublish(trimmed);
		}
		this.prefix = trimmed;
	}

	/**
	 * The subjects under {@value #DEFAULT_PREFIX}.
	 * @return the subjects
	 */
	public static NatsSystemSubjects defaults() {
		return new NatsSystemSubjects(DEFAULT_PREFIX);
	}

	/**
	 * The prefix.
	 * @return the prefix without a trailing dot, empty for none
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * A subject of natsboot's own, without the namespace.
	 * @param subject the subject after the prefix, e.g. {@code tasks.>}
	 * @return the subject with the prefix, e.g. {@code natsboot.tasks.>}
	 */
	public String subject(String subject) {
		return this.prefix.isEmpty() ? subject : this.prefix + "." + subject;
	}

	@Override
	public String toString() {
		return "NatsSystemSubjects[prefix='" + this.prefix + "']";
	}

}
