package io.natsboot.keystore;

import org.jspecify.annotations.Nullable;

/**
 * A change of a key, as seen by {@link KeyStoreOperations#watch}.
 *
 * @param type what happened
 * @param key the user's key (without namespace)
 * @param revision the backend's revision of the change (0 when the backend has none, as
 * for Redis expiry)
 * @param metadata the key's metadata after a {@link Type#PUT}, else null
 */
public record KeyEvent(Type type, String key, long revision, @Nullable KeyMetadata metadata) {

	/**
	 * Kinds of change.
	 */
	public enum Type {

		/** The key was stored or updated. */
		PUT,

		/** The key was deleted. */
		DELETE,

		/** The key expired and was removed. */
		EXPIRED

	}

}
