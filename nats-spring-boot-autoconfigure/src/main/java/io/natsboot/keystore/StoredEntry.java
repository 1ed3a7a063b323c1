package io.natsboot.keystore;

/**
 * A value as a backend holds it: the stored bytes and their metadata.
 *
 * @param metadata the metadata
 * @param value the stored bytes (the serialized value)
 */
public record StoredEntry(KeyMetadata metadata, byte[] value) {

	/**
	 * The user's key.
	 * @return the key
	 */
	public String key() {
		return this.metadata.key();
	}

}
