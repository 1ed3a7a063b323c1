package io.natsboot.keystore;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.natsboot.core.NatsJsonCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Turns values into stored bytes and back by {@link KeyFormat}, computes and checks
 * checksums, and keeps {@link KeyFormat#TYPED_JSON} to its allow-list of packages.
 */
public class KeyValueSerializer {

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * JDK value types typed-json always reads and writes: no side effects when Jackson
	 * builds them.
	 */
	private static final java.util.Set<String> SAFE_JDK_TYPES = java.util.Set.of("java.lang.String",
			"java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short",
			"java.lang.Byte", "java.lang.Boolean", "java.lang.Character", "java.math.BigDecimal",
			"java.math.BigInteger", "java.util.UUID", "java.util.ArrayList", "java.util.LinkedHashSet",
			"java.util.LinkedHashMap", "[B");

	private final @Nullable NatsJsonCodec json;

	private final List<String> allowedPackages;

	private final @Nullable ClassLoader classLoader;

	/**
	 * Creates a serializer.
	 * @param json the JSON codec (the application's Jackson), or null without Jackson
	 * @param allowedPackages the packages whose classes {@link KeyFormat#TYPED_JSON} may
	 * name (their sub-packages included), besides strings, numbers, booleans,
	 * {@code java.time} types, UUIDs, byte arrays, lists, sets and maps, which it always
	 * takes
	 * @param classLoader the class loader for typed values
	 */
	public KeyValueSerializer(@Nullable NatsJsonCodec json, List<String> allowedPackages,
			@Nullable ClassLoader classLoader) {
		this.json = json;
		this.allowedPackages = allowedPackages.stream()
			.map(String::trim)
			.filter((name) -> !name.isEmpty())
			.map((name) -> name.endsWith(".") ? name : name + ".")
			.toList();
		this.classLoader = classLoader;
	}

	/**
	 * Serializes a value.
	 * @param key the key, for messages
	 * @param value the value
	 * @param format the format
	 * @return the bytes and, for {@link KeyFormat#TYPED_JSON}, the class name
	 */
	public Serialized serialize(String key, @Nullable Object value, KeyFormat format) {
		if (value == null) {
			throw new IllegalArgumentException(
					"Value of key '" + key + "' must not be null; use delete to remove a key");
		}
		return switch (format) {
			case BINARY -> {
				if (!(value instanceof byte[] bytes)) {
					throw new IllegalArgumentException("Key '" + key + "': format BINARY needs a byte[] value, not a "
							+ value.getClass().getName());
				}
				// a copy: the caller may reuse its array after the call
				yield new Serialized(bytes.clone(), null);
			}
			case TEXT -> new Serialized(value.toString().getBytes(StandardCharsets.UTF_8), null);
			case JSON -> new Serialized(writeJson(key, value), null);
			case TYPED_JSON -> {
				String type = typeName(value);
				checkAllowed(key, type);
				yield new Serialized(writeJson(key, value), type);
			}
		};
	}

	/**
	 * Reads a stored value as it was written: JSON as maps, lists, strings and numbers,
	 * TEXT as a string, BINARY as bytes, TYPED_JSON as its class.
	 * @param entry the entry
	 * @return the value
	 */
	public @Nullable Object deserialize(StoredEntry entry) {
		KeyMetadata metadata = entry.metadata();
		return switch (metadata.format()) {
			case BINARY -> entry.value().clone();
			case TEXT -> new String(entry.value(), StandardCharsets.UTF_8);
			case JSON -> readJson(entry, Object.class);
			case TYPED_JSON -> readJson(entry, typedClass(metadata));
		};
	}

	/**
	 * Reads a stored value as a type.
	 * @param entry the entry
	 * @param type the target type
	 * @return the value
	 */
	public @Nullable Object deserialize(StoredEntry entry, Type type) {
		if (type == Object.class) {
			return deserialize(entry);
		}
		KeyMetadata metadata = entry.metadata();
		if (type == byte[].class) {
			return entry.value().clone();
		}
		if (metadata.format() == KeyFormat.TYPED_JSON) {
			Class<?> stored = typedClass(metadata);
			Class<?> target = (type instanceof Class<?> raw) ? ClassUtils.resolvePrimitiveIfNecessary(raw) : null;
			if (target != null && !target.isAssignableFrom(stored)) {
				throw new KeyStoreException("Key '" + metadata.key() + "' holds a " + stored.getName()
						+ ", which is not a " + target.getName());
			}
			return readJson(entry, stored);
		}
		if ((type == String.class || type == CharSequence.class)
				&& (metadata.format() == KeyFormat.TEXT || metadata.format() == KeyFormat.BINARY)) {
			return new String(entry.value(), StandardCharsets.UTF_8);
		}
		return readJson(entry, type);
	}

	/**
	 * The SHA-256 of bytes.
	 * @param value the bytes
	 * @return the checksum, lower-case hex
	 */
	public static String checksum(byte[] value) {
		try {
			return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(value));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Checks an entry against its checksum.
	 * @param entry the entry as read from a backend
	 * @throws KeyStoreIntegrityException naming the key when the value does not match
	 */
	public static void verify(StoredEntry entry) {
		String expected = entry.metadata().checksum();
		if (expected == null) {
			return;
		}
		String actual = checksum(entry.value());
		if (!expected.equalsIgnoreCase(actual)) {
			throw new KeyStoreIntegrityException("Key '" + entry.key() + "' failed its SHA-256 check (stored "
					+ expected + ", computed " + actual + "): the value was changed outside the key store");
		}
	}

	private Class<?> typedClass(KeyMetadata metadata) {
		String type = metadata.type();
		if (type == null) {
			throw new KeyStoreException("Key '" + metadata.key() + "' is typed-json but names no class");
		}
		checkAllowed(metadata.key(), type);
		try {
			return ClassUtils.forName(type, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new KeyStoreException(
					"Key '" + metadata.key() + "' holds a " + type + ", which is not on the class path", ex);
		}
	}

	/**
	 * The class name written for a typed value: collections and maps as the plain JDK
	 * class they read back into (their elements read back as JSON values), anything else
	 * as its own class.
	 */
	private static String typeName(Object value) {
		if (value instanceof java.util.List<?>) {
			return "java.util.ArrayList";
		}
		if (value instanceof java.util.Set<?>) {
			return "java.util.LinkedHashSet";
		}
		if (value instanceof java.util.Map<?, ?>) {
			return "java.util.LinkedHashMap";
		}
		return value.getClass().getName();
	}

	private void checkAllowed(String key, String type) {
		if (SAFE_JDK_TYPES.contains(type) || type.startsWith("java.time.")) {
			return;
		}
		for (String allowed : this.allowedPackages) {
			if (type.startsWith(allowed)) {
				return;
			}
		}
		throw new KeyStoreTypeNotAllowedException(
				"Key '" + key + "': class " + type + " is not in nats.keystore.typed.allowed-packages "
						+ this.allowedPackages.stream().map((name) -> name.substring(0, name.length() - 1)).toList()
						+ "; add its package there to store it as typed-json");
	}

	private byte[] writeJson(String key, Object value) {
		try {
			return codec(key).write(value);
		}
		catch (KeyStoreException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new KeyStoreException(
					"Key '" + key + "': cannot write a " + value.getClass().getName() + " as JSON: " + ex.getMessage(),
					ex);
		}
	}

	private @Nullable Object readJson(StoredEntry entry, Type type) {
		if (entry.value().length == 0) {
			return null;
		}
		try {
			return codec(entry.key()).read(entry.value(), type);
		}
		catch (KeyStoreException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new KeyStoreException("Key '" + entry.key() + "' (" + entry.metadata().format().wireName()
					+ ") cannot be read as " + type.getTypeName() + ": " + ex.getMessage(), ex);
		}
	}

	private NatsJsonCodec codec(String key) {
		if (this.json == null) {
			throw new KeyStoreException("Key '" + key
					+ "': JSON needs Jackson on the class path; add jackson-databind or use format TEXT or BINARY");
		}
		return this.json;
	}

	/**
	 * A serialized value.
	 *
	 * @param bytes the bytes to store
	 * @param type the class name of a typed value, else null
	 */
	public record Serialized(byte[] bytes, @Nullable String type) {

	}

}
