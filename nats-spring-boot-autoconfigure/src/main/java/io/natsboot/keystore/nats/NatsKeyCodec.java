package io.natsboot.keystore.nats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Maps the user's keys to NATS KV keys and back. A key that NATS KV accepts as it is and
 * that holds no {@code =} is kept as it is, so that {@code database.host} is the same key
 * for a Python or Go client. Every other character, {@code =} itself, and leading,
 * trailing or doubled dots are written {@code =XX} (each UTF-8 byte, upper-case hex):
 * {@code user:123} becomes {@code user=3A123}, {@code a b} becomes {@code a=20b},
 * {@code ü} becomes {@code =C3=BC}. Decoding reads {@code =XX} as a byte and any other
 * {@code =} literally.
 * <p>
 * The encoding keeps prefixes: the encoding of a key starts with the {@link #encodePrefix
 * encoded prefix} of any prefix of that key (except a prefix that ends where the key ends
 * in a dot), so prefix queries can narrow on the server to the prefix's complete tokens.
 */
public final class NatsKeyCodec {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private NatsKeyCodec() {
	}

	/**
	 * Encodes a whole key.
	 * @param key the user's key, not empty
	 * @return the NATS KV key
	 */
	public static String encode(String key) {
		return encode(key, false);
	}

	/**
	 * Encodes the start of keys: like {@link #encode} except that a dot at the end stays
	 * a dot, since in a longer key it is not trailing.
	 * @param prefix the start of the user's keys
	 * @return the start of their NATS KV keys
	 */
	public static String encodePrefix(String prefix) {
		return encode(prefix, true);
	}

	private static String encode(String key, boolean prefix) {
		if (isPlain(key)) {
			return key;
		}
		StringBuilder encoded = new StringBuilder(key.length() + 16);
		int length = key.length();
		for (int i = 0; i < length; i++) {
			char c = key.charAt(i);
			if (c == '.') {
				boolean leading = (i == 0);
				boolean trailing = (i == length - 1) && !prefix;
				boolean doubled = (i > 0 && key.charAt(i - 1) == '.');
				if (leading || trailing || doubled) {
					appendByte(encoded, '.');
				}
				else {
					encoded.append('.');
				}
			}
			else if (isKept(c)) {
				encoded.append(c);
			}
			else {
				int end = Character.isHighSurrogate(c) && i + 1 < length ? i + 2 : i + 1;
				for (byte b : key.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
					appendByte(encoded, b & 0xFF);
				}
				i = end - 1;
			}
		}
		return encoded.toString();
	}

	/**
	 * Decodes a NATS KV key.
	 * @param encoded the NATS KV key
	 * @return the user's key
	 */
	public static String decode(String encoded) {
		if (encoded.indexOf('=') < 0) {
			return encoded;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
		int length = encoded.length();
		for (int i = 0; i < length; i++) {
			char c = encoded.charAt(i);
			if (c == '=' && isHex(encoded, i + 1) && isHex(encoded, i + 2)) {
				bytes.write(Integer.parseInt(encoded, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(utf8, 0, utf8.length);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static boolean isPlain(String key) {
		int length = key.length();
		if (length == 0) {
			return true;
		}
		if (key.charAt(0) == '.' || key.charAt(length - 1) == '.') {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = key.charAt(i);
			if (c == '.' ? key.charAt(i - 1) == '.' : !isKept(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isKept(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '/';
	}

	private static boolean isHex(String text, int index) {
		if (index >= text.length()) {
			return false;
		}
		char c = text.charAt(index);
		return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
	}

	private static void appendByte(StringBuilder encoded, int b) {
		encoded.append('=').append(HEX[b >> 4]).append(HEX[b & 0xF]);
	}

}
