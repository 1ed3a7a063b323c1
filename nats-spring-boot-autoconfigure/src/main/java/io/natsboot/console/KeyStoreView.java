package io.natsboot.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.natsboot.keystore.KeyEntry;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreCacheStats;
import io.natsboot.keystore.KeyNames;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyStoreTemplate;
import org.jspecify.annotations.Nullable;

/**
 * The key store: its backend and bucket, the keys and those with a TTL, the local cache's
 * size and hit ratio; keys by prefix, page by page, with their metadata, and values only
 * when the console is configured to show them ({@code nats.console.show-values}).
 * Counting the keys reads every key's metadata, so the count is kept for
 * {@link #COUNT_KEPT_FOR} rather than read at every refresh.
 */
public class KeyStoreView {

	/** How long a key count is shown before it is read again. */
	public static final Duration COUNT_KEPT_FOR = Duration.ofSeconds(30);

	/** The most keys on one page. */
	public static final int MAX_PAGE = 200;

	private final KeyStoreTemplate keyStore;

	private final boolean showValues;

	private volatile @Nullable KeyStoreStats counted;

	private volatile long countedAt;

	/**
	 * Creates the view.
	 * @param keyStore the key store
	 * @param showValues whether values are shown
	 */
	public KeyStoreView(KeyStoreTemplate keyStore, boolean showValues) {
		this.keyStore = keyStore;
		this.showValues = showValues;
	}

	/**
	 * The key store's figures.
	 * @return backend, bucket, namespace, key counts, details and the cache
	 */
	public Map<String, Object> describe() {
		Map<String, Object> details = new LinkedHashMap<>(this.keyStore.getBackend().describe());
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("backend", this.keyStore.getBackend().name());
		view.put("bucket", this.keyStore.bucket());
		view.put("namespace", this.keyStore.namespace());
		Object stats = ConsoleSections.section(this::stats);
		if (stats instanceof KeyStoreStats counts) {
			view.put("totalKeys", counts.totalKeys());
			view.put("keysWithTtl", counts.keysWithTtl());
		}
		else {
			view.put("totalKeys", null);
			view.put("keysWithTtl", null);
			view.put("countProblem", stats);
		}
		details.remove("backend");
		details.remove("bucket");
		details.remove("namespace");
		view.put("details", details);
		KeyStoreCacheStats cache = this.keyStore.cacheStats();
		Map<String, Object> cached = new LinkedHashMap<>();
		cached.put("enabled", cache.enabled());
		cached.put("size", cache.size());
		cached.put("maxSize", cache.maxSize());
		cached.put("hits", cache.hits());
		cached.put("misses", cache.misses());
		cached.put("hitRatio", Math.round(cache.hitRatio() * 1000) / 1000.0);
		cached.put("evictions", cache.evictions());
		cached.put("estimatedBytes", cache.estimatedBytes());
		view.put("cache", cached);
		view.put("cacheServing", this.keyStore.isCacheServing());
		return view;
	}

	private KeyStoreStats stats() {
		KeyStoreStats stats = this.counted;
		long now = System.nanoTime();
		if (stats == null || now - this.countedAt > COUNT_KEPT_FOR.toNanos()) {
			stats = this.keyStore.stats();
			this.counted = stats;
			this.countedAt = now;
		}
		return stats;
	}

	/**
	 * Whether the key store's reads ask the NATS server (its backend is NATS KV, not
	 * Redis or memory).
	 * @return true for the NATS backend
	 */
	public boolean needsNats() {
		return "nats".equals(this.keyStore.getBackend().name());
	}

	/**
	 * A page of keys in code-point order.
	 * @param prefix the keys' prefix, empty for all
	 * @param after start after this key, or null for the first
	 * @param size the page size (1 to {@link #MAX_PAGE})
	 * @return {@code keys} (with metadata, and values when shown) and {@code next}
	 */
	public Map<String, Object> keys(String prefix, @Nullable String after, int size) {
		if (size < 1 || size > MAX_PAGE) {
			throw new IllegalArgumentException("A page of keys holds 1 to " + MAX_PAGE + ", not " + size);
		}
		List<String> matching = this.keyStore.listKeys(prefix + "*");
		List<Map<String, Object>> keys = new ArrayList<>();
		String last = null;
		boolean more = false;
		for (String key : matching) {
			if (!key.startsWith(prefix) || (after != null && KeyNames.CODE_POINT_ORDER.compare(key, after) <= 0)) {
				continue; // a prefix holding '*' or '?' matched more
			}
			if (keys.size() == size) {
				more = true;
				break;
			}
			Map<String, Object> described = describe(key);
			if (described != null) {
				keys.add(described);
				last = key;
			}
		}
		Map<String, Object> page = new LinkedHashMap<>();
		page.put("keys", keys);
		page.put("next", more ? last : null);
		return page;
	}

	private @Nullable Map<String, Object> describe(String key) {
		KeyMetadata metadata;
		Object value = null;
		if (this.showValues) {
			KeyEntry<Object> entry = this.keyStore.retrieveEntry(key, Object.class);
			if (entry == null) {
				return null; // expired or deleted since it was listed
			}
			metadata = entry.metadata();
			value = entry.value();
		}
		else {
			metadata = this.keyStore.getMetadata(key);
			if (metadata == null) {
				return null;
			}
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("key", key);
		described.put("version", metadata.version());
		described.put("size", metadata.size());
		described.put("tags", metadata.tags());
		described.put("format", metadata.format());
		described.put("type", metadata.type());
		described.put("createdAt", metadata.createdAt());
		described.put("updatedAt", metadata.updatedAt());
		described.put("expiresAt", metadata.expiresAt());
		described.put("ttlSeconds", (metadata.ttl() != null) ? metadata.ttl().toSeconds() : null);
		if (this.showValues) {
			described.put("value", value);
		}
		return described;
	}

}
