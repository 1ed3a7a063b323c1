package io.natsboot.keystore;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The rules for the user's keys, the same on every backend: validation, the code-point
 * order of ranges, and glob patterns.
 */
public final class KeyNames {

	/** The longest key, in UTF-8 bytes. */
	public static final int MAX_KEY_BYTES = 1024;

	/**
	 * Orders keys by Unicode code point, which is the order of their UTF-8 bytes
	 * ({@code item:10} before {@code item:2}); unlike {@link String#compareTo},
	 * characters outside the basic plane sort after all others.
	 */
	public static final Comparator<String> CODE_POINT_ORDER = KeyNames::compareCodePoints;

	private static final Pattern BUCKET_NAME = Pattern.compile("[A-Za-z0-9_-]+");

	private KeyNames() {
	}

	/**
	 * Whether a bucket name is allowed on every backend: letters, digits, {@code -} and
	 * {@code _}.
	 * @param bucket the name
	 * @return true when allowed
	 */
	public static boolean isValidBucket(@Nullable String bucket) {
		return bucket != null && BUCKET_NAME.matcher(bucket).matches();
	}

	/**
	 * Checks a key.
	 * @param key the key
	 * @return the key
	 * @throws IllegalArgumentException naming the key when it is null, empty, too long or
	 * holds control characters or unpaired surrogates
	 */
	public static String validate(@Nullable String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("Key must not be null or empty");
		}
		int bytes = utf8Length(key);
		if (bytes > MAX_KEY_BYTES) {
			throw new IllegalArgumentException("Key '" + key.substring(0, 40) + "...' is too long: " + bytes
					+ " UTF-8 bytes, at most " + MAX_KEY_BYTES);
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (Character.isISOControl(c)) {
				throw new IllegalArgumentException(
						"Key '" + key.replaceAll("\\p{Cntrl}", "?") + "' holds a control character at index " + i);
			}
			if (Character.isSurrogate(c)) {
				// a lone surrogate has no UTF-8 form: it would collide with other keys
				if (Character.isHighSurrogate(c) && i + 1 < key.length()
						&& Character.isLowSurrogate(key.charAt(i + 1))) {
					i++;
				}
				else {
					throw new IllegalArgumentException("Key holds an unpaired surrogate at index " + i);
				}
			}
		}
		return key;
	}

	/**
	 * Compares two keys by code point.
	 * @param left a key
	 * @param right another key
	 * @return the comparison, as {@link Comparator#compare}
	 */
	public static int compareCodePoints(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Integer.compare(left.length() - i, right.length() - j);
	}

	/**
	 * Turns a glob pattern into a matcher: {@code *} matches any run of characters (also
	 * none), {@code ?} one character, everything else itself.
	 * @param pattern the pattern, e.g. {@code user:*}
	 * @return the matcher
	 */
	public static Glob glob(String pattern) {
		if (pattern == null || pattern.isEmpty()) {
			throw new IllegalArgumentException("Key pattern must not be null or empty; use '*' for all keys");
		}
		return new Glob(pattern);
	}

	private static int utf8Length(String key) {
		return (key.length() * 3 <= MAX_KEY_BYTES) ? key.length() : key.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * A compiled glob pattern.
	 */
	public static final class Glob {

		private final String pattern;

		private final String literalPrefix;

		private final Pattern regex;

		Glob(String pattern) {
			this.pattern = pattern;
			StringBuilder regex = new StringBuilder();
			StringBuilder literal = new StringBuilder();
			int prefixEnd = -1;
			for (int i = 0; i < pattern.length(); i++) {
				char c = pattern.charAt(i);
				if (c == '*' || c == '?') {
					if (prefixEnd < 0) {
						prefixEnd = i;
					}
					if (!literal.isEmpty()) {
						regex.append(Pattern.quote(literal.toString()));
						literal.setLength(0);
					}
					regex.append((c == '*') ? ".*" : ".");
				}
				else {
					literal.append(c);
				}
			}
			if (!literal.isEmpty()) {
				regex.append(Pattern.quote(literal.toString()));
			}
			this.literalPrefix = (prefixEnd < 0) ? pattern : pattern.substring(0, prefixEnd);
			this.regex = Pattern.compile(regex.toString(), Pattern.DOTALL);
		}

		/**
		 * The pattern as given.
		 * @return the pattern
		 */
		public String pattern() {
			return this.pattern;
		}

		/**
		 * The part before the first wildcard, which every match starts with.
		 * @return the prefix, possibly empty
		 */
		public String literalPrefix() {
			return this.literalPrefix;
		}

		/**
		 * Whether a key matches.
		 * @param key the key
		 * @return true on a match
		 */
		public boolean matches(String key) {
			return this.regex.matcher(key).matches();
		}

	}

}
