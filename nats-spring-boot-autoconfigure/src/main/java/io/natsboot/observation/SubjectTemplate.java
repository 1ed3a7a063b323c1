package io.natsboot.observation;

/**
 * Turns a subject a message was sent to into a value of few enough kinds to name a
 * destination in metrics and span names: tokens that look like one message's own value
 * become {@code *}. Such a token is all digits, holds a run of three or more digits, or
 * is 16 characters or longer and holds a digit (UUIDs, NUIDs, order numbers); every token
 * after an inbox prefix ({@code _INBOX}, {@code _INBOX_tenant-a}) is one too. So
 * {@code orders.20417.shipped} is {@code orders.*.shipped} and {@code _INBOX.kT0b9C...}
 * is {@code _INBOX.*}, while {@code orders.v2.eu-west-1} stays as it is. A custom
 * convention can name destinations differently.
 */
public final class SubjectTemplate {

	private static final int LONG_TOKEN = 16;

	private SubjectTemplate() {
	}

	/**
	 * The template of a subject.
	 * @param subject the subject
	 * @return the subject with its per-message tokens as {@code *}
	 */
	public static String of(String subject) {
		int firstDot = subject.indexOf('.');
		if (subject.startsWith("_INBOX") && firstDot > 0) {
			// a reply inbox, custom prefixes (_INBOX_tenant-a) included
			return subject.substring(0, firstDot) + ".*";
		}
		StringBuilder template = null;
		int start = 0;
		int length = subject.length();
		while (start <= length) {
			int end = subject.indexOf('.', start);
			if (end < 0) {
				end = length;
			}
			if (perMessage(subject, start, end)) {
				if (template == null) {
					template = new StringBuilder(length).append(subject, 0, start);
				}
				template.append('*');
			}
			else if (template != null) {
				template.append(subject, start, end);
			}
			if (end < length && template != null) {
				template.append('.');
			}
			start = end + 1;
		}
		return (template != null) ? template.toString() : subject;
	}

	private static boolean perMessage(String subject, int start, int end) {
		int digits = 0;
		int run = 0;
		for (int i = start; i < end; i++) {
			if (Character.isDigit(subject.charAt(i))) {
				digits++;
				run++;
				if (run >= 3) {
					return true;
				}
			}
			else {
				run = 0;
			}
		}
		int length = end - start;
		return digits > 0 && (digits == length || length >= LONG_TOKEN);
	}

}
