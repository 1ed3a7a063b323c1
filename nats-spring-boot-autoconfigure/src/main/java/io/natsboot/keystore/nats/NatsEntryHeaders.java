package io.natsboot.keystore.nats;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import io.nats.client.impl.Headers;
import io.natsboot.core.NatsHeaders;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyTimestamps;
import org.jspecify.annotations.Nullable;

/**
 * The key store's metadata as headers of the NATS KV message that holds the value, so
 * that the value itself stays the plain serialized bytes: <pre>
 * KS-Version: 3
 * KS-Format: json | text | binary | typed-json
 * KS-Type: com.example.Order            (typed-json only)
 * KS-Tags: web,v2                        (when tagged)
 * KS-Checksum: sha256=9f86d0...          (lower-case hex of the value's SHA-256)
 * KS-Created-At: 2026-11-23T10:15:30.123Z
 * KS-Updated-At: 2026-11-23T10:16:00.456Z
 * KS-Expires-At: 2026-11-23T10:46:00.456Z (when the key has a TTL)
 * Content-Type: application/json
 * </pre> A purge written by the expiry sweep carries {@code KS-Reason: expired}. Entries
 * without {@code KS-Version} were written by other clients: they read as version 1,
 * format {@link KeyFormat#BINARY}, without checksum.
 */
public final class NatsEntryHeaders {

	/** The key's version. */
	public static final String VERSION = "KS-Version";

	/** The value's format. */
	public static final String FORMAT = "KS-Format";

	/** The class of a typed-json value. */
	public static final String TYPE = "KS-Type";

	/** The tags, comma-separated. */
	public static final String TAGS = "KS-Tags";

	/** The value's SHA-256. */
	public static final String CHECKSUM = "KS-Checksum";

	/** When the key was created. */
	public static final String CREATED_AT = "KS-Created-At";

	/** When the key was last written. */
	public static final String UPDATED_AT = "KS-Updated-At";

	/** When the key expires. */
	public static final String EXPIRES_AT = "KS-Expires-At";

	/** Why a purge was written: {@code expired} from the expiry sweep. */
	public static final String REASON = "KS-Reason";

	/** The reason of a purge for an expired key. */
	public static final String REASON_EXPIRED = "expired";

	private static final String CHECKSUM_PREFIX = "sha256=";

	private NatsEntryHeaders() {
	}

	/**
	 * Writes metadata to headers.
	 * @param metadata the metadata
	 * @return the headers
	 */
	public static Headers write(KeyMetadata metadata) {
		Headers headers = new Headers();
		headers.put(VERSION, Long.toString(metadata.version()));
		headers.put(FORMAT, metadata.format().wireName());
		if (metadata.type() != null) {
			headers.put(TYPE, metadata.type());
		}
		if (!metadata.tags().isEmpty()) {
			headers.put(TAGS, String.join(",", metadata.tags()));
		}
		if (metadata.checksum() != null) {
			headers.put(CHECKSUM, CHECKSUM_PREFIX + metadata.checksum());
		}
		headers.put(CREATED_AT, metadata.createdAt().toString());
		headers.put(UPDATED_AT, metadata.updatedAt().toString());
		if (metadata.expiresAt() != null) {
			headers.put(EXPIRES_AT, metadata.expiresAt().toString());
		}
		headers.put(NatsHeaders.CONTENT_TYPE, metadata.format().contentType());
		return headers;
	}

	/**
	 * Reads metadata from the headers of a stored message.
	 * @param key the user's key
	 * @param headers the headers, possibly null for a value written by another client
	 * @param revision the message's stream sequence
	 * @param storedAt the message's time stamp
	 * @param size the value's size
	 * @return the metadata
	 */
	public static KeyMetadata read(String key, @Nullable Headers headers, long revision, Instant storedAt, long size) {
		String version = first(headers, VERSION);
		if (version == null) {
			return new KeyMetadata(key, 1, revision, size, List.of(), KeyFormat.BINARY, null, null, storedAt, storedAt,
					null);
		}
		KeyFormat format = KeyFormat.fromName(first(headers, FORMAT));
		String tags = first(headers, TAGS);
		String checksum = first(headers, CHECKSUM);
		return new KeyMetadata(key, parseLong(version, 1), revision, size,
				(tags == null || tags.isEmpty()) ? List.of() : Arrays.asList(tags.split(",")),
				(format != null) ? format : KeyFormat.BINARY, first(headers, TYPE),
				(checksum != null && checksum.startsWith(CHECKSUM_PREFIX))
						? checksum.substring(CHECKSUM_PREFIX.length()) : checksum,
				instant(first(headers, CREATED_AT), storedAt), instant(first(headers, UPDATED_AT), storedAt),
				instant(first(headers, EXPIRES_AT), null));
	}

	/**
	 * Reads the expiry from headers.
	 * @param headers the headers
	 * @return the expiry, or null when there is none
	 */
	public static @Nullable Instant expiresAt(@Nullable Headers headers) {
		return instant(first(headers, EXPIRES_AT), null);
	}

	static @Nullable String first(@Nullable Headers headers, String name) {
		return (headers != null) ? headers.getFirst(name) : null;
	}

	private static long parseLong(String text, long fallback) {
		try {
			return Long.parseLong(text.trim());
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	private static @Nullable Instant instant(@Nullable String text, @Nullable Instant fallback) {
		if (text == null) {
			return fallback;
		}
		try {
			return KeyTimestamps.parse(text.trim());
		}
		catch (DateTimeParseException ex) {
			return fallback;
		}
	}

}
