package io.natsboot.keystore;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * The key store's local cache of stored entries, kept coherent by the backend's watch: entries
 * carry their revision, a change seen by the watch drops older entries, a read or write installs
 * its entry only when no newer change of the key arrived meanwhile, and nothing is served while the
 * watch is interrupted.
 */
final class LocalEntryCache {

	private final @Nullable Cache<String, Holder> cache;

	private final long maxSize;

	private final AtomicLong generation = new AtomicLong();

	private final Cache<String, Long> recentChanges = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(Duration.ofSeconds(5))
		.build();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private volatile boolean serving;

	LocalEntryCache(KeyStoreSettings settings) {
		this.maxSize = settings.cacheMaxSize();
		if (settings.cacheEnabled() && settings.cacheMaxSize() > 0) {
			Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(settings.cacheMaxSize()).recordStats();
			if (settings.cacheTtl() != null) {
				builder.expireAfterWrite(settings.cacheTtl());
			}
			this.cache = builder.build();
		}
		else {
			this.cache = null;
		}
	}

	boolean isEnabled() {
		return this.cache != null;
	}

	/**
	 * A live cached entry, counting a hit or a miss.
	 */
	@Nullable Holder get(String key) {
		Cache<String, Holder> cache = this.cache;
		if (cache == null) {
			return null;
		}
		Holder holder = this.serving ? cache.getIfPresent(key) : null;
		if (holder != null && holder.entry.metadata().isExpiredAt(Instant.now())) {
			cache.asMap().remove(key, holder);
			holder = null;
		}
		((holder != null) ? this.hits : this.misses).increment();
		return holder;
	}

	/**
	 * Marks the start of a read from, or a write to, the backend.
	 * @return the stamp to give to {@link #install}
	 */
	long beginLoad() {
		return this.generation.get();
	}

	/**
	 * Installs an entry read from the backend or written by this instance, unless the cache was
	 * cleared since {@link #beginLoad} or the watch saw a newer change of the key meanwhile.
	 */
	void install(String key, StoredEntry entry, long stamp) {
		Cache<String, Holder> cache = this.cache;
		if (cache == null || !this.serving || this.generation.get() != stamp) {
			return;
		}
		long revision = entry.metadata().revision();
		cache.asMap().compute(key, (k, old) -> {
			Long changed = this.recentChanges.getIfPresent(k);
			if ((changed != null && changed > revision) || (old != null && old.entry.metadata().revision() > revision)) {
				return old;
			}
			return (old != null && old.entry.metadata().revision() == revision) ? old : new Holder(entry);
		});
	}

	/**
	 * Drops an entry older than a change, and remembers the change for a while so that a read or
	 * write still under way cannot install an older entry.
	 * @param revision the change's revision, or 0 when unknown (drops whatever is cached)
	 */
	void invalidate(String key, long revision) {
		long changed = (revision > 0) ? revision : Long.MAX_VALUE;
		this.recentChanges.asMap().merge(key, changed, Math::max);
		if (this.cache != null) {
			this.cache.asMap().computeIfPresent(key, (k, old) -> (old.entry.metadata().revision() >= changed) ? old : null);
		}
	}

	void clear() {
		this.generation.incrementAndGet();
		if (this.cache != null) {
			this.cache.invalidateAll();
		}
	}

	void setServing(boolean serving) {
		if (!serving) {
			this.serving = false;
			clear();
		}
		else {
			clear();
			this.serving = true;
		}
	}

	boolean isServing() {
		return this.serving;
	}

	KeyStoreCacheStats stats() {
		Cache<String, Holder> cache = this.cache;
		if (cache == null) {
			return new KeyStoreCacheStats(false, 0, this.misses.sum(), 0, 0, 0, 0);
		}
		long bytes = 0;
		for (var mapping : cache.asMap().entrySet()) {
			bytes += mapping.getKey().length() * 2L + mapping.getValue().entry.value().length + 128;
		}
		return new KeyStoreCacheStats(true, this.hits.sum(), this.misses.sum(), cache.stats().evictionCount(),
				cache.estimatedSize(), this.maxSize, bytes);
	}

	/**
	 * A cached entry and the last value decoded from it, so that repeated reads of one type do not
	 * decode again.
	 */
	static final class Holder {

		final StoredEntry entry;

		private volatile @Nullable Decoded decoded;

		Holder(StoredEntry entry) {
			this.entry = entry;
		}

		@Nullable Object decoded(Type type) {
			Decoded last = this.decoded;
			return (last != null && last.type.equals(type)) ? last.value : null;
		}

		void remember(Type type, @Nullable Object value) {
			if (value != null && isImmutable(value)) {
				this.decoded = new Decoded(type, value);
			}
		}

	}

	/**
	 * Whether a decoded value may be handed to several callers: only values they cannot change.
	 */
	static boolean isImmutable(Object value) {
		return value instanceof String || value instanceof Boolean || value instanceof Character
				|| value instanceof Enum<?> || value instanceof Record
				|| value instanceof java.time.temporal.TemporalAccessor || value instanceof java.time.Duration
				|| (value instanceof Number && value.getClass().getName().startsWith("java."));
	}

	private record Decoded(Type type, Object value) {

	}

}
