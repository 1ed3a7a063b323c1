package io.natsboot.keystore;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How a value is turned into the bytes a backend stores. The bytes are the plain value (a
 * JSON document stays a JSON document), so clients without natsboot read them; the format
 * itself is kept in the key's metadata.
 */
public enum KeyFormat {

	/** UTF-8 JSON written and read with the application's Jackson; the default. */
	JSON("json", "application/json"),

	/** A string as UTF-8 text; other values are written with {@code toString()}. */
	TEXT("text", "text/plain; charset=utf-8"),

	/** A {@code byte[]} stored as it is. */
	BINARY("binary", "application/octet-stream"),

	/**
	 * JSON plus the value's class name in the metadata, so that an untyped read returns
	 * an instance of that class. Only classes in
	 * {@code nats.keystore.typed.allowed-packages} are written or read; never Java
	 * serialization.
	 */
	TYPED_JSON("typed-json", "application/json");

	private static final KeyFormat[] VALUES = values();

	private final String wireName;

	private final String contentType;

	KeyFormat(String wireName, String contentType) {
		this.wireName = wireName;
		this.contentType = contentType;
	}

	/**
	 * The name kept in the metadata, e.g. {@code typed-json}.
	 * @return the name
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * The content type written beside the value.
	 * @return the content type
	 */
	public String contentType() {
		return this.contentType;
	}

	/**
	 * Reads a format from its metadata name or enum name, in any case.
	 * @param name the name, e.g. {@code json} or {@code TYPED_JSON}
	 * @return the format, or null when the name is null or unknown
	 */
	public static @Nullable KeyFormat fromName(@Nullable String name) {
		if (name == null) {
			return null;
		}
		for (KeyFormat format : VALUES) {
			if (format.wireName.equals(name)) {
				return format;
			}
		}
		String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (KeyFormat format : VALUES) {
			if (format.wireName.equals(normalized)) {
				return format;
			}
		}
		return null;
	}

}
