package io.natsboot.keystore;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the key store keeps its entries: one bucket and one namespace of NATS JetStream
 * KV, Redis or memory. {@link KeyStoreTemplate} does serialization, checksums, validation
 * and caching; a backend stores bytes and metadata, and carries out each write and its
 * condition as one atomic step. Keys given to a backend are the user's keys, already
 * validated; the backend maps them to its own key space (namespace prefix, encoding).
 * <p>
 * A backend must treat an entry whose {@link KeyMetadata#expiresAt() expiry} has passed
 * as absent on every read path, whatever its server did with it.
 */
public interface KeyValueBackend extends AutoCloseable {

	/**
	 * The backend's name: {@code nats}, {@code redis}, {@code memory} or a custom one.
	 * @return the name
	 */
	String name();

	/**
	 * Reads a live entry.
	 * @param key the user's key
	 * @return the entry, or null when absent or expired
	 */
	@Nullable StoredEntry get(String key);

	/**
	 * Reads several live entries.
	 * @param keys the user's keys
	 * @return the live entries by key, in the order of {@code keys}
	 */
	default Map<String, StoredEntry> getAll(Collection<String> keys) {
		Map<String, StoredEntry> entries = new LinkedHashMap<>();
		for (String key : keys) {
			StoredEntry entry = get(key);
			if (entry != null) {
				entries.put(key, entry);
			}
		}
		return entries;
	}

	/**
	 * Writes an entry if a condition holds, atomically.
	 * @param key the user's key
	 * @param draft the value and metadata
	 * @param condition when to write
	 * @return the metadata as stored, or null when the condition did not hold
	 */
	@Nullable KeyMetadata write(String key, EntryDraft draft, WriteCondition condition);

	/**
	 * Writes several entries without condition; each write is atomic, the batch is not.
	 * @param drafts the values by key
	 * @return the metadata as stored, by key
	 */
	default Map<String, KeyMetadata> writeAll(Map<String, EntryDraft> drafts) {
		Map<String, KeyMetadata> written = new LinkedHashMap<>();
		drafts.forEach((key, draft) -> written.put(key, write(key, draft, WriteCondition.ALWAYS)));
		return written;
	}

	/**
	 * Deletes a live key if a condition holds, atomically.
	 * @param key the user's key
	 * @param condition when to delete ({@link WriteCondition#PRESENT} for a plain delete)
	 * @return true when a live key was deleted
	 */
	boolean delete(String key, WriteCondition condition);

	/**
	 * Lists the live keys that start with a prefix, in no particular order.
	 * @param prefix the prefix of the user's keys, possibly empty
	 * @return the keys
	 */
	List<String> keys(String prefix);

	/**
	 * Starts telling a listener about changes by any instance. The listener hears
	 * {@link Listener#onWatchResumed()} once the watch runs.
	 * @param listener the listener
	 * @return a handle that stops the subscription
	 */
	AutoCloseable subscribe(Listener listener);

	/**
	 * Tells every instance's listeners to clear their caches.
	 */
	void publishCacheClear();

	/**
	 * Figures of the live keys.
	 * @return the figures
	 */
	KeyStoreStats stats();

	/**
	 * The bucket's or server's status for {@code /actuator/nats}.
	 * @return the details
	 */
	Map<String, Object> describe();

	/**
	 * Checks the backend is reachable.
	 * @return the round-trip time
	 */
	Duration ping();

	/**
	 * Stops background work (watches, sweeps); never deletes data.
	 */
	@Override
	void close();

	/**
	 * Hears the changes of a backend.
	 */
	interface Listener {

		/**
		 * A key changed (this instance's writes included).
		 * @param event the change
		 */
		void onEvent(KeyEvent event);

		/**
		 * An instance asked every cache to clear.
		 */
		void onCacheClear();

		/**
		 * The watch runs (again): caches may serve hits.
		 */
		void onWatchResumed();

		/**
		 * The watch may have missed changes (disconnect, gap): caches must clear and not
		 * serve hits until {@link #onWatchResumed()}.
		 */
		void onWatchInterrupted();

	}

}
