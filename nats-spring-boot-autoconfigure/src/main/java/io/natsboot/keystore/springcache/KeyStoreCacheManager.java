package io.natsboot.keystore.springcache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.natsboot.keystore.KeyStoreOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.support.AbstractCacheManager;

/**
 * A Spring {@link org.springframework.cache.CacheManager} whose caches live in the key
 * store, so that {@code @Cacheable} results are shared by every instance of the
 * application. Caches are created on first use; each may have its own time to live.
 */
public class KeyStoreCacheManager extends AbstractCacheManager {

	private final KeyStoreOperations keyStore;

	private final Map<String, Duration> timeToLive;

	private final boolean allowNullValues;

	/**
	 * Creates a cache manager.
	 * @param keyStore the key store
	 * @param timeToLive time to live per cache name; caches not listed keep entries until
	 * evicted
	 * @param allowNullValues whether null values are cached
	 */
	public KeyStoreCacheManager(KeyStoreOperations keyStore, Map<String, Duration> timeToLive,
			boolean allowNullValues) {
		this.keyStore = keyStore;
		this.timeToLive = Map.copyOf(timeToLive);
		this.allowNullValues = allowNullValues;
	}

	@Override
	protected Collection<? extends Cache> loadCaches() {
		return this.timeToLive.keySet().stream().map(this::createCache).toList();
	}

	@Override
	protected @Nullable Cache getMissingCache(String name) {
		return createCache(name);
	}

	private KeyStoreCache createCache(String name) {
		if (name.contains("*") || name.contains("?")) {
			throw new IllegalArgumentException("Cache name '" + name + "' must not contain '*' or '?'");
		}
		return new KeyStoreCache(name, this.keyStore, this.timeToLive.get(name), this.allowNullValues);
	}

	/**
	 * The names of the caches with a time to live of their own.
	 * @return the names
	 */
	public List<String> getConfiguredCacheNames() {
		return List.copyOf(this.timeToLive.keySet());
	}

}
