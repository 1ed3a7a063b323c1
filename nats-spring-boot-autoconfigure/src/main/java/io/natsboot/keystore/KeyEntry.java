package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

/**
 * A value read together with its metadata, e.g. to update it with
 * {@link KeyStoreOperations#compareAndSet} on the version read.
 *
 * @param <T> the value's type
 * @param value the value
 * @param metadata the metadata
 */
public record KeyEntry<T>(@Nullable T value, KeyMetadata metadata) {

	/**
	 * The key's version.
	 * @return the version
	 */
	public long version() {
		return this.metadata.version();
	}

}
