package io.natsboot.keystore;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the template asks a backend to write: the serialized value and the metadata it
 * chose. The backend adds what depends on the stored state (version, revision, creation
 * time) in the same atomic step as the write.
 *
 * @param value the serialized value
 * @param format its format
 * @param type the class name of a {@link KeyFormat#TYPED_JSON} value, else null
 * @param tags the tags
 * @param checksum the SHA-256 of {@code value}, lower-case hex
 * @param writtenAt the time of the write
 * @param expiresAt when the key expires, or null
 */
public record EntryDraft(byte[] value, KeyFormat format, @Nullable String type, List<String> tags, String checksum,
		Instant writtenAt, @Nullable Instant expiresAt) {

	/**
	 * The metadata of this draft written over a previous state.
	 * @param key the user's key
	 * @param previous the live entry it replaces, or null when the key is new
	 * @param revision the backend's revision of the write
	 * @return the metadata
	 */
	public KeyMetadata toMetadata(String key, @Nullable KeyMetadata previous, long revision) {
		long version = (previous != null) ? previous.version() + 1 : 1;
		Instant createdAt = (previous != null) ? previous.createdAt() : this.writtenAt;
		return new KeyMetadata(key, version, revision, this.value.length, this.tags, this.format, this.type,
				this.checksum, createdAt, this.writtenAt, this.expiresAt);
	}

}
