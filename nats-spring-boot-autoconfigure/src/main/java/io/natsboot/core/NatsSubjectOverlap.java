package io.natsboot.core;

/**
 * Whether two subjects, wildcards allowed, can match a common subject: {@code tasks.>}
 * and {@code natsboot.tasks.>} cannot, {@code >} or {@code natsboot.*.x} and
 * {@code natsboot.tasks.>} can. What the server checks when it refuses a stream whose
 * subjects overlap another's.
 */
public final class NatsSubjectOverlap {

	private NatsSubjectOverlap() {
	}

	/**
	 * Whether the subjects overlap.
	 * @param first a subject or filter, e.g. {@code orders.*}
	 * @param second another
	 * @return true when a subject exists that both match
	 */
	public static boolean overlap(String first, String second) {
		String[] a = first.split("\\.", -1);
		String[] b = second.split("\\.", -1);
		for (int i = 0; i < Math.min(a.length, b.length); i++) {
			// '>' matches one token or more, and both still have one here
			if (a[i].equals(">") || b[i].equals(">")) {
				return true;
			}
			if (!a[i].equals(b[i]) && !a[i].equals("*") && !b[i].equals("*")) {
				return false;
			}
		}
		return a.length == b.length;
	}

}
