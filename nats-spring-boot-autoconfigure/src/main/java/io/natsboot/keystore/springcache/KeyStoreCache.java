package io.natsboot.keystore.springcache;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.keystore.StoreOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * A Spring {@link org.springframework.cache.Cache} in the key store: entry {@code k} of
 * cache {@code users} is the key {@code users::k}, stored as {@link KeyFormat#TYPED_JSON}
 * so that it reads back as its class (the class's package must be in
 * {@code nats.keystore.typed.allowed-packages}; elements of cached collections read back
 * as JSON values). Every instance on the same bucket and namespace sees the same entries;
 * each instance's local key store cache stays coherent.
 */
public class KeyStoreCache extends AbstractValueAdaptingCache {

	/** What a cached null is stored as: the only value of format TEXT in a cache. */
	private static final String NULL_MARKER = "null";

	private final String name;

	private final KeyStoreOperations keyStore;

	private final StoreOptions valueOptions;

	private final StoreOptions nullOptions;

	/** Loads of one key wait for each other; loads of other keys mostly do not. */
	private final ReentrantLock[] loadLocks = new ReentrantLock[64];

	/**
	 * Creates a cache.
	 * @param name the cache's name
	 * @param keyStore the key store
	 * @param timeToLive how long entries live, or null for as long as they are not
	 * evicted
	 * @param allowNullValues whether null values are cached
	 */
	public KeyStoreCache(String name, KeyStoreOperations keyStore, @Nullable Duration timeToLive,
			boolean allowNullValues) {
		super(allowNullValues);
		this.name = name;
		this.keyStore = keyStore;
		this.valueOptions = options(KeyFormat.TYPED_JSON, timeToLive);
		this.nullOptions = options(KeyFormat.TEXT, timeToLive);
		for (int i = 0; i < this.loadLocks.length; i++) {
			this.loadLocks[i] = new ReentrantLock();
		}
	}

	private static StoreOptions options(KeyFormat format, @Nullable Duration timeToLive) {
		return (timeToLive != null) ? StoreOptions.format(format).ttl(timeToLive)
				: StoreOptions.format(format).persistent();
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public KeyStoreOperations getNativeCache() {
		return this.keyStore;
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		var entry = this.keyStore.retrieveEntry(storeKey(key));
		if (entry == null) {
			return null;
		}
		return (entry.metadata().format() == KeyFormat.TEXT) ? NullValue.INSTANCE : entry.value();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper cached = get(key);
		if (cached != null) {
			return (T) cached.get();
		}
		// one load of a key at a time in this instance, as Spring's own caches do for
		// sync=true
		ReentrantLock loadLock = this.loadLocks[Math.floorMod(key.hashCode(), this.loadLocks.length)];
		loadLock.lock();
		try {
			cached = get(key);
			if (cached != null) {
				return (T) cached.get();
			}
			T value;
			try {
				value = valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
			put(key, value);
			return value;
		}
		finally {
			loadLock.unlock();
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		Object stored = toStoreValue(value);
		if (stored == NullValue.INSTANCE) {
			this.keyStore.store(storeKey(key), NULL_MARKER, this.nullOptions);
		}
		else {
			this.keyStore.store(storeKey(key), stored, this.valueOptions);
		}
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		Object stored = toStoreValue(value);
		boolean isNull = stored == NullValue.INSTANCE;
		if (this.keyStore.storeIfAbsent(storeKey(key), isNull ? NULL_MARKER : stored,
				isNull ? this.nullOptions : this.valueOptions)) {
			return null;
		}
		return get(key);
	}

	@Override
	public void evict(Object key) {
		this.keyStore.delete(storeKey(key));
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.keyStore.delete(storeKey(key));
	}

	@Override
	public void clear() {
		this.keyStore.bulkDelete(this.keyStore.listKeys(prefix() + "*"));
	}

	@Override
	public boolean invalidate() {
		return this.keyStore.bulkDelete(this.keyStore.listKeys(prefix() + "*")) > 0;
	}

	private String prefix() {
		return this.name + "::";
	}

	private String storeKey(Object key) {
		return prefix() + key;
	}

}
