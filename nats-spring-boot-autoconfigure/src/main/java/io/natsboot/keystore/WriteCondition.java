package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

/**
 * When a backend may carry out a write; checked and written in one atomic step.
 *
 * @param kind the kind of condition
 * @param expected the expected version or revision, for {@link Kind#VERSION} and
 * {@link Kind#REVISION}
 */
public record WriteCondition(Kind kind, long expected) {

	/** Always write. */
	public static final WriteCondition ALWAYS = new WriteCondition(Kind.ALWAYS, 0);

	/** Write only when the key is absent or expired. */
	public static final WriteCondition ABSENT = new WriteCondition(Kind.ABSENT, 0);

	/** Write only when the key is live. */
	public static final WriteCondition PRESENT = new WriteCondition(Kind.PRESENT, 0);

	/**
	 * Write only when the live key has a version.
	 * @param version the expected version
	 * @return the condition
	 */
	public static WriteCondition version(long version) {
		return new WriteCondition(Kind.VERSION, version);
	}

	/**
	 * Write only when the live key has a revision.
	 * @param revision the expected revision
	 * @return the condition
	 */
	public static WriteCondition revision(long revision) {
		return new WriteCondition(Kind.REVISION, revision);
	}

	/**
	 * Whether the condition holds for the current state of a key.
	 * @param current the live entry's metadata, or null when the key is absent or expired
	 * @return true when the write may go ahead
	 */
	public boolean isMetBy(@Nullable KeyMetadata current) {
		return switch (this.kind) {
			case ALWAYS -> true;
			case ABSENT -> current == null;
			case PRESENT -> current != null;
			case VERSION -> current != null && current.version() == this.expected;
			case REVISION -> current != null && current.revision() == this.expected;
		};
	}

	/**
	 * Kinds of condition.
	 */
	public enum Kind {

		/** No condition. */
		ALWAYS,

		/** The key must be absent. */
		ABSENT,

		/** The key must be live. */
		PRESENT,

		/** The key's version must match. */
		VERSION,

		/** The key's revision must match. */
		REVISION

	}

}
