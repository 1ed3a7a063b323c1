package io.natsboot.keystore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A Redis-like key-value store with TTL, tags, versioned metadata, checksums, bulk and
 * range operations and a coherent local cache, on NATS JetStream KV, Redis or memory.
 * Implemented by {@link KeyStoreTemplate}.
 * <p>
 * Keys are the user's strings ({@code user:123}, {@code config.ini}, spaces, any
 * Unicode), at most {@value KeyNames#MAX_KEY_BYTES} UTF-8 bytes and without control
 * characters. Bad input (empty key, null value, a BINARY value that is not a
 * {@code byte[]}) raises {@link IllegalArgumentException} naming the key, before anything
 * is written.
 */
public interface KeyStoreOperations {

	/**
	 * Stores a value with the default format and TTL.
	 * @param key the key
	 * @param value the value, not null
	 * @return the metadata as stored
	 */
	KeyMetadata store(String key, Object value);

	/**
	 * Stores a value.
	 * @param key the key
	 * @param value the value, not null
	 * @param options TTL, tags and format
	 * @return the metadata as stored
	 */
	KeyMetadata store(String key, Object value, StoreOptions options);

	/**
	 * Stores a value when the key is absent (or expired).
	 * @param key the key
	 * @param value the value
	 * @return true when stored, false when the key exists
	 */
	boolean storeIfAbsent(String key, Object value);

	/**
	 * Stores a value when the key is absent (or expired).
	 * @param key the key
	 * @param value the value
	 * @param options TTL, tags and format
	 * @return true when stored, false when the key exists
	 */
	boolean storeIfAbsent(String key, Object value, StoreOptions options);

	/**
	 * Replaces the value of an existing key, keeping its format, tags and expiry; the
	 * version grows by one.
	 * @param key the key
	 * @param value the new value
	 * @return true when updated, false when the key does not exist
	 */
	boolean update(String key, Object value);

	/**
	 * Replaces the value of an existing key; options given replace the key's format, tags
	 * or TTL, the others are kept.
	 * @param key the key
	 * @param value the new value
	 * @param options what to change besides the value
	 * @return true when updated, false when the key does not exist
	 */
	boolean update(String key, Object value, StoreOptions options);

	/**
	 * Replaces a value only when the key has a version, in one atomic step; format, tags
	 * and expiry are kept.
	 * @param key the key
	 * @param value the new value
	 * @param expectedVersion the version the key must have
	 * @return true when replaced, false when the key is absent or has another version
	 */
	boolean compareAndSet(String key, Object value, long expectedVersion);

	/**
	 * Adds to a number atomically; an absent key counts as 0.
	 * @param key the key, holding a whole number (JSON or text)
	 * @param delta the amount to add, possibly negative
	 * @return the new value
	 */
	long increment(String key, long delta);

	/**
	 * Reads a value as it was written: JSON as maps, lists, strings and numbers, TEXT as
	 * a string, BINARY as bytes, TYPED_JSON as its class.
	 * @param key the key
	 * @return the value, or null when absent or expired
	 */
	@Nullable Object retrieve(String key);

	/**
	 * Reads a value as a type, from the cache when it holds the key.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @return the value, or null when absent or expired
	 */
	<T> @Nullable T retrieve(String key, Class<T> type);

	/**
	 * Reads a value as a type.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @param useCache false to read from the backend even when the cache holds the key
	 * @return the value, or null when absent or expired
	 */
	<T> @Nullable T retrieve(String key, Class<T> type, boolean useCache);

	/**
	 * Reads a value as a generic type, such as {@code List<Order>}.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @return the value, or null when absent or expired
	 */
	<T> @Nullable T retrieve(String key, ParameterizedTypeReference<T> type);

	/**
	 * Reads a value as a type, or a default when the key is absent or expired.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @param defaultValue what to return for an absent key
	 * @return the value or the default
	 */
	<T> T retrieveOrDefault(String key, Class<T> type, T defaultValue);

	/**
	 * Reads a value as it was written, with its metadata.
	 * @param key the key
	 * @return the value and metadata, or null when absent or expired
	 */
	@Nullable KeyEntry<Object> retrieveEntry(String key);

	/**
	 * Reads a value as a type, with its metadata.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type
	 * @return the value and metadata, or null when absent or expired
	 */
	<T> @Nullable KeyEntry<T> retrieveEntry(String key, Class<T> type);

	/**
	 * Deletes a key.
	 * @param key the key
	 * @return true when a live key was deleted
	 */
	boolean delete(String key);

	/**
	 * Deletes several keys.
	 * @param keys the keys
	 * @return how many live keys were deleted
	 */
	int bulkDelete(Collection<String> keys);

	/**
	 * Whether a key is live.
	 * @param key the key
	 * @return true when it exists and has not expired
	 */
	boolean exists(String key);

	/**
	 * Stores several values with the default format and TTL. All keys and values are
	 * checked before the first write.
	 * @param entries the values by key
	 * @return the metadata as stored, by key
	 */
	Map<String, KeyMetadata> bulkStore(Map<String, ?> entries);

	/**
	 * Stores several values with the same options. All keys and values are checked before
	 * the first write.
	 * @param entries the values by key
	 * @param options TTL, tags and format
	 * @return the metadata as stored, by key
	 */
	Map<String, KeyMetadata> bulkStore(Map<String, ?> entries, StoreOptions options);

	/**
	 * Reads several values.
	 * @param <T> the type
	 * @param keys the keys
	 * @param type the type
	 * @return the live values by key, in the order of {@code keys}; absent keys are left
	 * out
	 */
	<T> Map<String, T> bulkRetrieve(Collection<String> keys, Class<T> type);

	/**
	 * Reads a key's metadata.
	 * @param key the key
	 * @return the metadata, or null when absent or expired
	 */
	@Nullable KeyMetadata getMetadata(String key);

	/**
	 * Lists live keys matching a glob pattern ({@code *} any run of characters, {@code ?}
	 * one), in code-point order.
	 * @param pattern the pattern, e.g. {@code user:*}; {@code *} for all
	 * @return the keys
	 */
	List<String> listKeys(String pattern);

	/**
	 * Reads the live entries in a key range, in code-point order ({@code item:10} before
	 * {@code item:2}).
	 * @param startKey the first key (inclusive); null or empty from the first key
	 * @param endKeyExclusive the end (exclusive); null for no upper bound
	 * @param limit the most entries, at least 1: the first ones in order
	 * @return the values as {@link #retrieve(String)} reads them, by key, in order
	 */
	Map<String, @Nullable Object> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive, int limit);

	/**
	 * Reads the live entries in a key range as a type, in code-point order.
	 * @param <T> the type
	 * @param startKey the first key (inclusive); null or empty from the first key
	 * @param endKeyExclusive the end (exclusive); null for no upper bound
	 * @param limit the most entries, at least 1
	 * @param type the type
	 * @return the values by key, in order
	 */
	<T> Map<String, T> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive, int limit, Class<T> type);

	/**
	 * Reads every live entry in a key range, in code-point order, without a limit.
	 * @param startKey the first key (inclusive); null or empty from the first key
	 * @param endKeyExclusive the end (exclusive); null for no upper bound (every key from
	 * {@code startKey} on, whatever it starts with: for the keys that start with a text,
	 * use {@link #prefixGet(String)})
	 * @return the values as {@link #retrieve(String)} reads them, by key, in order
	 */
	default Map<String, @Nullable Object> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive) {
		return rangeGet(startKey, endKeyExclusive, Integer.MAX_VALUE);
	}

	/**
	 * Reads every live entry in a key range as a type, in code-point order, without a
	 * limit.
	 * @param <T> the type
	 * @param startKey the first key (inclusive); null or empty from the first key
	 * @param endKeyExclusive the end (exclusive); null for no upper bound
	 * @param type the type
	 * @return the values by key, in order
	 */
	default <T> Map<String, T> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive, Class<T> type) {
		return rangeGet(startKey, endKeyExclusive, Integer.MAX_VALUE, type);
	}

	/**
	 * Reads the live entries whose keys start with a prefix, in code-point order.
	 * @param prefix the prefix, e.g. {@code batch:}
	 * @param limit the most entries, at least 1
	 * @return the values as {@link #retrieve(String)} reads them, by key, in order
	 */
	Map<String, @Nullable Object> prefixGet(String prefix, int limit);

	/**
	 * Reads every live entry whose key starts with a prefix, in code-point order, without
	 * a limit.
	 * @param prefix the prefix, e.g. {@code batch:}
	 * @return the values as {@link #retrieve(String)} reads them, by key, in order
	 */
	default Map<String, @Nullable Object> prefixGet(String prefix) {
		return prefixGet(prefix, Integer.MAX_VALUE);
	}

	/**
	 * Reads every live entry whose key starts with a prefix as a type, in code-point
	 * order, without a limit.
	 * @param <T> the type
	 * @param prefix the prefix
	 * @param type the type
	 * @return the values by key, in order
	 */
	default <T> Map<String, T> prefixGet(String prefix, Class<T> type) {
		return prefixGet(prefix, Integer.MAX_VALUE, type);
	}

	/**
	 * Reads the live entries whose keys start with a prefix as a type, in code-point
	 * order.
	 * @param <T> the type
	 * @param prefix the prefix
	 * @param limit the most entries, at least 1
	 * @param type the type
	 * @return the values by key, in order
	 */
	<T> Map<String, T> prefixGet(String prefix, int limit, Class<T> type);

	/**
	 * Watches the changes of keys matching a glob pattern, by any instance: {@code PUT},
	 * {@code DELETE} and {@code EXPIRED} events, from now on. Listeners run one at a
	 * time, in event order, on a thread of the key store's watches (never the thread that
	 * keeps caches coherent); an exception a listener throws is logged and the watch goes
	 * on.
	 * @param pattern the pattern, e.g. {@code config:*}
	 * @param listener the listener
	 * @return the watch, to close
	 */
	KeyWatch watch(String pattern, Consumer<KeyEvent> listener);

	/**
	 * Figures of the local cache, taken after the evictions still pending ran: a cache
	 * filled past {@code nats.keystore.cache.max-size} shows {@code max-size} entries and
	 * counts the rest as evictions. Which entries go is Caffeine's choice (by frequency
	 * and recency, not strictly the least recently used).
	 * @return the figures
	 */
	KeyStoreCacheStats cacheStats();

	/**
	 * Clears the local cache of this instance and of every other instance on the same
	 * bucket and namespace.
	 */
	void clearCache();

	/**
	 * Checks that the backend is reachable.
	 * @return true when it answered
	 */
	boolean ping();

	/**
	 * Figures of the keys.
	 * @return the figures
	 */
	KeyStoreStats stats();

	/**
	 * The same key store on another bucket, with the same namespace and settings (NATS:
	 * another KV bucket, created when missing; Redis: another key prefix, on a Redis
	 * Cluster another slot, which may be served by another master).
	 * @param bucket the bucket (letters, digits, {@code -}, {@code _})
	 * @return the key store of that bucket
	 */
	KeyStoreOperations forBucket(String bucket);

	/**
	 * The bucket.
	 * @return the bucket's name
	 */
	String bucket();

	/**
	 * The namespace.
	 * @return the namespace, possibly empty
	 */
	String namespace();

}
