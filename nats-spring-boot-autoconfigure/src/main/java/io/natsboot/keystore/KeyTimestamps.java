package io.natsboot.keystore;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Reads the times the backends keep in metadata ({@code createdAt}, {@code updatedAt},
 * {@code expiresAt}, written as {@link Instant#toString()}) without the cost of a
 * formatter on every read.
 */
public final class KeyTimestamps {

	private KeyTimestamps() {
	}

	/**
	 * Reads an {@link Instant#toString()}; a fast path for years 0000 to 9999 keeps the
	 * read path cheap (a read parses up to three), anything else goes to
	 * {@link Instant#parse}.
	 * @param text the text
	 * @return the instant
	 * @throws java.time.format.DateTimeParseException when the text is no instant
	 */
	public static Instant parse(String text) {
		int length = text.length();
		if (length >= 20 && length <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
				&& text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(length - 1) == 'Z'
				&& (length == 20 || (length > 21 && text.charAt(19) == '.'))) {
			int year = digits(text, 0, 4);
			int month = digits(text, 5, 7);
			int day = digits(text, 8, 10);
			int hour = digits(text, 11, 13);
			int minute = digits(text, 14, 16);
			int second = digits(text, 17, 19);
			int nanos = (length > 20) ? digits(text, 20, length - 1) : 0;
			if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour < 24 && minute >= 0
					&& minute < 60 && second >= 0 && second < 60 && nanos >= 0
					&& day <= YearMonth.of(year, month).lengthOfMonth()) {
				// '.5' is 500,000,000 nanoseconds
				for (int fraction = Math.max(0, length - 21); fraction < 9; fraction++) {
					nanos *= 10;
				}
				long epochDay = LocalDate.of(year, month, day).toEpochDay();
				return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
			}
		}
		return Instant.parse(text);
	}

	/**
	 * The number written by the decimal digits of a range, or -1 when it holds anything
	 * else.
	 */
	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
