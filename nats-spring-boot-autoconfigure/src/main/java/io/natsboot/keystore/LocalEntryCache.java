package io.natsboot.keystore;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * The key store's local cache of stored entries, kept coherent by the backend's watch:
 * entries carry their revision, a change seen by the watch drops older entries, a read or
 * write installs its entry only when no newer change of the key arrived meanwhile, and
 * nothing is served while the watch is interrupted.
 */
final class LocalEntryCache {

	private final @Nullable Cache<String, Holder> cache;

	private final long maxSize;

	private final AtomicLong generation = new AtomicLong();

	/**
	 * Changes the watch saw lately, by key: revision and when; kept longer than any read
	 * may take.
	 */
	private final Map<String, Change> recentChanges = new ConcurrentHashMap<>();

	private final AtomicLong lastCleanupNanos = new AtomicLong(System.nanoTime());

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private volatile boolean serving;

	LocalEntryCache(KeyStoreSettings settings) {
		this.maxSize = settings.cacheMaxSize();
		if (settings.cacheEnabled() && settings.cacheMaxSize() > 0) {
			// evictions counted by a listener: Caffeine's own statistics cost every read
			// a little
			Caffeine<Object, Object> builder = Caffeine.newBuilder()
				.maximumSize(settings.cacheMaxSize())
				.evictionListener((key, value, cause) -> this.evictions.increment());
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
		// nothing is installed while the watch is down (see install), so no serving check
		// is needed here
		Holder holder = cache.getIfPresent(key);
		if (holder != null && holder.entry.metadata().expiresAt() != null
				&& holder.entry.metadata().isExpiredAt(Instant.now())) {
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
	Stamp beginLoad() {
		return new Stamp(this.generation.get(), System.nanoTime());
	}

	/**
	 * Installs an entry read from the backend or written by this instance, unless the
	 * cache was cleared since {@link #beginLoad}, the watch saw a newer change of the key
	 * meanwhile, or the call took so long that such a change may be forgotten.
	 */
	void install(String key, StoredEntry entry, Stamp stamp) {
		Cache<String, Holder> cache = this.cache;
		if (cache == null || !isCurrent(stamp) || System.nanoTime() - stamp.startedNanos > MAX_LOAD_NANOS) {
			return;
		}
		long revision = entry.metadata().revision();
		Holder installed = cache.asMap().compute(key, (k, old) -> {
			Change changed = this.recentChanges.get(k);
			if ((changed != null && changed.revision > revision)
					|| (old != null && old.entry.metadata().revision() > revision)) {
				return old;
			}
			return (old != null && old.entry.metadata().revision() == revision) ? old : new Holder(entry);
		});
		if (!isCurrent(stamp) && installed != null) {
			// the cache was cleared or stopped serving while this entry went in
			cache.asMap().remove(key, installed);
		}
	}

	private boolean isCurrent(Stamp stamp) {
		return this.serving && this.generation.get() == stamp.generation;
	}

	/**
	 * Drops an entry older than a change, and remembers the change for a while so that a
	 * read or write still under way cannot install an older entry.
	 * @param revision the change's revision, or 0 when unknown (drops whatever is cached)
	 */
	void invalidate(String key, long revision) {
		long changed = (revision > 0) ? revision : Long.MAX_VALUE;
		long now = System.nanoTime();
		this.recentChanges.merge(key, new Change(changed, now),
				(old, fresh) -> new Change(Math.max(old.revision, fresh.revision), now));
		if (this.cache != null) {
			this.cache.asMap()
				.computeIfPresent(key, (k, old) -> (old.entry.metadata().revision() >= changed) ? old : null);
		}
		long lastCleanup = this.lastCleanupNanos.get();
		if (now - lastCleanup > CLEANUP_INTERVAL_NANOS && this.lastCleanupNanos.compareAndSet(lastCleanup, now)) {
			this.recentChanges.values().removeIf((change) -> now - change.atNanos > 2 * MAX_LOAD_NANOS);
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
			return new KeyStoreCacheStats(false, 0, 0, 0, 0, 0, 0);
		}
		// Caffeine evicts on a pool thread after writes: run its pending maintenance now,
		// so that size never reads above max-size and evictions count every entry it
		// dropped so far
		cache.cleanUp();
		long bytes = 0;
		for (var mapping : cache.asMap().entrySet()) {
			bytes += mapping.getKey().length() * 2L + mapping.getValue().entry.value().length + 128;
		}
		return new KeyStoreCacheStats(true, this.hits.sum(), this.misses.sum(), this.evictions.sum(),
				cache.estimatedSize(), this.maxSize, bytes);
	}

	/**
	 * A cached entry and the last value decoded from it, so that repeated reads of one
	 * type do not decode again.
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
	 * Whether a decoded value may be handed to several callers: only values they cannot
	 * change.
	 */
	static boolean isImmutable(Object value) {
		return IMMUTABLE_TYPES.contains(value.getClass()) || value instanceof Enum<?>
				|| (value.getClass().getName().startsWith("java.time.") && !(value instanceof java.time.Clock));
	}

	/**
	 * Reads or writes that took longer install nothing: the changes they might miss are
	 * forgotten.
	 */
	private static final long MAX_LOAD_NANOS = Duration.ofSeconds(10).toNanos();

	private static final long CLEANUP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	/**
	 * When a read or write started.
	 */
	record Stamp(long generation, long startedNanos) {

	}

	private record Change(long revision, long atNanos) {

	}

	private static final java.util.Set<Class<?>> IMMUTABLE_TYPES = java.util.Set.of(String.class, Boolean.class,
			Character.class, Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class,
			java.math.BigDecimal.class, java.math.BigInteger.class, java.util.UUID.class);

	private record Decoded(Type type, Object value) {

	}

}
