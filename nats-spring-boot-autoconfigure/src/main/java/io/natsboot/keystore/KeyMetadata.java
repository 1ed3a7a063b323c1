package io.natsboot.keystore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the key store knows about a key besides its value.
 *
 * @param key the user's key (without namespace)
 * @param version the key's own counter: 1 on the first store, one more on every write
 * @param revision the backend's revision of this write (the NATS stream sequence, or the
 * Redis bucket counter), growing across all keys of a bucket
 * @param size the stored value's size in bytes
 * @param tags the tags given at the last write
 * @param format the format of the value
 * @param type the class name of a {@link KeyFormat#TYPED_JSON} value, else null
 * @param checksum the SHA-256 of the value, lower-case hex; null for values written
 * without natsboot
 * @param createdAt when the key was first stored (since its last delete)
 * @param updatedAt when the key was last written
 * @param expiresAt when the key expires, or null when it lives for ever
 */
public record KeyMetadata(String key, long version, long revision, long size, List<String> tags, KeyFormat format,
		@Nullable String type, @Nullable String checksum, Instant createdAt, Instant updatedAt,
		@Nullable Instant expiresAt) {

	/**
	 * Creates metadata.
	 */
	public KeyMetadata {
		tags = List.copyOf(tags);
	}

	/**
	 * Whether the key is expired at a time.
	 * @param now the time
	 * @return true when it has an expiry that is not after {@code now}
	 */
	public boolean isExpiredAt(Instant now) {
		return this.expiresAt != null && !this.expiresAt.isAfter(now);
	}

	/**
	 * The time left to live.
	 * @return the time left (zero when expired), or null when the key lives for ever
	 */
	public @Nullable Duration ttl() {
		if (this.expiresAt == null) {
			return null;
		}
		Duration left = Duration.between(Instant.now(), this.expiresAt);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * The same metadata for another revision.
	 * @param revision the backend's revision
	 * @return the copy
	 */
	public KeyMetadata withRevision(long revision) {
		return new KeyMetadata(this.key, this.version, revision, this.size, this.tags, this.format, this.type,
				this.checksum, this.createdAt, this.updatedAt, this.expiresAt);
	}

}
