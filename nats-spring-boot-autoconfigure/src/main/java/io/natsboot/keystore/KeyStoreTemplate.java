package io.natsboot.keystore;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.natsboot.core.NatsThreads;
import io.natsboot.observation.DefaultKeyStoreObservationConvention;
import io.natsboot.observation.KeyStoreObservation;
import io.natsboot.observation.KeyStoreObservationContext;
import io.natsboot.observation.KeyStoreObservationConvention;
import io.natsboot.observation.ObservationSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.Assert;

/**
 * The key store: values with TTL, tags, versioned metadata and checksums on a
 * {@link KeyValueBackend}, with a local cache kept coherent across instances by the
 * backend's watch. See {@link KeyStoreOperations} for the operations.
 * <p>
 * Reads check each value against its SHA-256 checksum when it comes from the backend, and
 * treat a key whose expiry has passed as absent, whatever the backend's server did with
 * it. Writes reach the cache only after the backend accepted them. Values read from the
 * cache are decoded per read, except immutable ones (strings, numbers, records, enums,
 * dates), which are shared.
 */
public class KeyStoreTemplate implements KeyStoreOperations, DisposableBean {

	private static final Log logger = LogFactory.getLog(KeyStoreTemplate.class);

	private static final int MAX_CAS_ROUNDS = 100;

	private final KeyValueBackend backend;

	private final KeyValueSerializer serializer;

	private final KeyStoreSettings settings;

	private final KeyStoreMetrics metrics;

	private volatile ObservationSettings<KeyStoreObservationConvention> observations = ObservationSettings.off();

	private final @Nullable KeyValueBackendFactory backendFactory;

	private final LocalEntryCache cache;

	private final List<Watch> watches = new CopyOnWriteArrayList<>();

	private final Map<String, KeyStoreTemplate> otherBuckets = new ConcurrentHashMap<>();

	private final AutoCloseable subscription;

	/**
	 * Runs the listeners of {@link #watch}, in event order, apart from the backend's
	 * watch thread.
	 */
	private volatile @Nullable ExecutorService watchExecutor;

	/**
	 * Creates a key store on a backend.
	 * @param backend the backend
	 * @param serializer turns values into bytes
	 * @param settings the settings
	 * @param metrics records operations
	 * @param backendFactory creates the backends of {@link #forBucket other buckets}, or
	 * null when there are none
	 */
	public KeyStoreTemplate(KeyValueBackend backend, KeyValueSerializer serializer, KeyStoreSettings settings,
			KeyStoreMetrics metrics, @Nullable KeyValueBackendFactory backendFactory) {
		this.backend = backend;
		this.serializer = serializer;
		this.settings = settings;
		this.metrics = metrics;
		this.backendFactory = backendFactory;
		this.cache = new LocalEntryCache(settings);
		this.subscription = backend.subscribe(new BackendListener());
	}

	/**
	 * Sets how operations that reach the backend are observed, for this bucket and the
	 * {@link #forBucket other buckets} it opens from then on.
	 * @param observations the registry and convention of the observations
	 */
	public void setObservations(ObservationSettings<KeyStoreObservationConvention> observations) {
		this.observations = observations;
	}

	// writes

	@Override
	public KeyMetadata store(String key, Object value) {
		return store(key, value, StoreOptions.DEFAULTS);
	}

	@Override
	public KeyMetadata store(String key, Object value, StoreOptions options) {
		EntryDraft draft = draft(key, value, options, null);
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		KeyMetadata stored = timed("store", () -> this.backend.write(key, draft, WriteCondition.ALWAYS));
		return written(key, draft, required(key, stored), stamp);
	}

	@Override
	public boolean storeIfAbsent(String key, Object value) {
		return storeIfAbsent(key, value, StoreOptions.DEFAULTS);
	}

	@Override
	public boolean storeIfAbsent(String key, Object value, StoreOptions options) {
		EntryDraft draft = draft(key, value, options, null);
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		KeyMetadata stored = timed("storeIfAbsent", () -> this.backend.write(key, draft, WriteCondition.ABSENT));
		if (stored == null) {
			return false;
		}
		written(key, draft, stored, stamp);
		return true;
	}

	@Override
	public boolean update(String key, Object value) {
		return update(key, value, StoreOptions.DEFAULTS);
	}

	@Override
	public boolean update(String key, Object value, StoreOptions options) {
		KeyNames.validate(key);
		Assert.notNull(options, "StoreOptions must not be null");
		this.serializer.serialize(key, value, formatFor(options, null));
		for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
			StoredEntry current = timed("get", () -> this.backend.get(key));
			if (current == null) {
				return false;
			}
			if (replace(key, value, options, current)) {
				return true;
			}
		}
		throw new KeyStoreException(
				"Key '" + key + "' changed " + MAX_CAS_ROUNDS + " times while updating it; gave up");
	}

	@Override
	public boolean compareAndSet(String key, Object value, long expectedVersion) {
		KeyNames.validate(key);
		StoredEntry current = timed("get", () -> this.backend.get(key));
		if (current == null || current.metadata().version() != expectedVersion) {
			return false;
		}
		return replace(key, value, StoreOptions.DEFAULTS, current);
	}

	private boolean replace(String key, Object value, StoreOptions options, StoredEntry current) {
		EntryDraft draft = draft(key, value, options, current.metadata());
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		KeyMetadata stored = timed("update",
				() -> this.backend.write(key, draft, WriteCondition.revision(current.metadata().revision())));
		if (stored == null) {
			return false;
		}
		written(key, draft, stored, stamp);
		return true;
	}

	@Override
	public long increment(String key, long delta) {
		KeyNames.validate(key);
		for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
			StoredEntry current = timed("get", () -> this.backend.get(key));
			if (current == null) {
				if (storeIfAbsent(key, delta)) {
					return delta;
				}
				continue;
			}
			verify(current);
			Object number = this.serializer.deserialize(current, Long.class);
			if (!(number instanceof Long previous)) {
				throw new KeyStoreException("Key '" + key + "' holds no whole number to increment");
			}
			long next = Math.addExact(previous, delta);
			if (replace(key, next, StoreOptions.DEFAULTS, current)) {
				return next;
			}
		}
		throw new KeyStoreException(
				"Key '" + key + "' changed " + MAX_CAS_ROUNDS + " times while incrementing it; gave up");
	}

	@Override
	public Map<String, KeyMetadata> bulkStore(Map<String, ?> entries) {
		return bulkStore(entries, StoreOptions.DEFAULTS);
	}

	@Override
	public Map<String, KeyMetadata> bulkStore(Map<String, ?> entries, StoreOptions options) {
		Assert.notNull(entries, "Entries must not be null");
		Map<String, EntryDraft> drafts = new LinkedHashMap<>();
		entries.forEach((key, value) -> drafts.put(key, draft(key, value, options, null)));
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		Map<String, KeyMetadata> stored = timed("bulkStore", () -> this.backend.writeAll(drafts));
		stored.forEach((key, metadata) -> written(key, drafts.get(key), metadata, stamp));
		return stored;
	}

	@Override
	public boolean delete(String key) {
		KeyNames.validate(key);
		this.cache.invalidate(key, 0);
		boolean deleted = timed("delete", () -> this.backend.delete(key, WriteCondition.PRESENT));
		this.cache.invalidate(key, 0);
		return deleted;
	}

	@Override
	public int bulkDelete(Collection<String> keys) {
		Assert.notNull(keys, "Keys must not be null");
		keys.forEach(KeyNames::validate);
		int deleted = 0;
		for (String key : keys) {
			if (delete(key)) {
				deleted++;
			}
		}
		return deleted;
	}

	// reads

	@Override
	public @Nullable Object retrieve(String key) {
		return read(key, Object.class, true);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T retrieve(String key, Class<T> type) {
		Assert.notNull(type, "Type must not be null");
		return (T) read(key, type, true);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T retrieve(String key, Class<T> type, boolean useCache) {
		Assert.notNull(type, "Type must not be null");
		return (T) read(key, type, useCache);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T retrieve(String key, ParameterizedTypeReference<T> type) {
		Assert.notNull(type, "Type must not be null");
		return (T) read(key, type.getType(), true);
	}

	@Override
	public <T> T retrieveOrDefault(String key, Class<T> type, T defaultValue) {
		T value = retrieve(key, type);
		return (value != null) ? value : defaultValue;
	}

	@Override
	public @Nullable KeyEntry<Object> retrieveEntry(String key) {
		return retrieveEntry(key, Object.class);
	}

	@Override
	public <T> @Nullable KeyEntry<T> retrieveEntry(String key, Class<T> type) {
		Assert.notNull(type, "Type must not be null");
		KeyNames.validate(key);
		LocalEntryCache.Holder holder = this.cache.get(key);
		if (holder != null) {
			return new KeyEntry<>(type.cast(decode(holder, type)), holder.entry.metadata());
		}
		StoredEntry entry = load(key);
		return (entry != null) ? new KeyEntry<>(type.cast(this.serializer.deserialize(entry, type)), entry.metadata())
				: null;
	}

	@Override
	public boolean exists(String key) {
		return entry(key) != null;
	}

	@Override
	public @Nullable KeyMetadata getMetadata(String key) {
		StoredEntry entry = entry(key);
		return (entry != null) ? entry.metadata() : null;
	}

	@Override
	public <T> Map<String, T> bulkRetrieve(Collection<String> keys, Class<T> type) {
		Assert.notNull(keys, "Keys must not be null");
		Assert.notNull(type, "Type must not be null");
		keys.forEach(KeyNames::validate);
		Map<String, T> values = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		Map<String, LocalEntryCache.Holder> cached = new LinkedHashMap<>();
		for (String key : keys) {
			LocalEntryCache.Holder holder = this.cache.get(key);
			if (holder != null) {
				cached.put(key, holder);
			}
			else {
				missing.add(key);
			}
		}
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		Map<String, StoredEntry> loaded = missing.isEmpty() ? Map.of()
				: timed("bulkRetrieve", () -> this.backend.getAll(missing));
		for (String key : keys) {
			LocalEntryCache.Holder holder = cached.get(key);
			Object value;
			if (holder != null) {
				value = decode(holder, type);
			}
			else {
				StoredEntry entry = live(loaded.get(key));
				if (entry == null) {
					continue;
				}
				verify(entry);
				this.cache.install(key, entry, stamp);
				value = this.serializer.deserialize(entry, type);
			}
			if (value != null) {
				values.put(key, type.cast(value));
			}
		}
		return values;
	}

	@Override
	public List<String> listKeys(String pattern) {
		KeyNames.Glob glob = KeyNames.glob(pattern);
		List<String> keys = new ArrayList<>(timed("listKeys", () -> this.backend.keys(glob.literalPrefix())));
		keys.removeIf((key) -> !glob.matches(key));
		keys.sort(KeyNames.CODE_POINT_ORDER);
		return keys;
	}

	@Override
	public Map<String, @Nullable Object> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive,
			int limit) {
		return range("", startKey, endKeyExclusive, limit, Object.class);
	}

	@Override
	public <T> Map<String, T> rangeGet(@Nullable String startKey, @Nullable String endKeyExclusive, int limit,
			Class<T> type) {
		return range("", startKey, endKeyExclusive, limit, type);
	}

	@Override
	public Map<String, @Nullable Object> prefixGet(String prefix, int limit) {
		Assert.notNull(prefix, "Prefix must not be null");
		return range(prefix, prefix, null, limit, Object.class);
	}

	@Override
	public <T> Map<String, T> prefixGet(String prefix, int limit, Class<T> type) {
		Assert.notNull(prefix, "Prefix must not be null");
		return range(prefix, prefix, null, limit, type);
	}

	private <T> Map<String, T> range(String prefix, @Nullable String startKey, @Nullable String endKeyExclusive,
			int limit, Class<T> type) {
		if (limit < 1) {
			throw new IllegalArgumentException("Limit must be at least 1, not " + limit);
		}
		String start = (startKey != null) ? startKey : "";
		List<String> keys = new ArrayList<>(timed("listKeys", () -> this.backend.keys(prefix)));
		keys.removeIf((key) -> KeyNames.compareCodePoints(key, start) < 0
				|| (endKeyExclusive != null && KeyNames.compareCodePoints(key, endKeyExclusive) >= 0));
		keys.sort(KeyNames.CODE_POINT_ORDER);
		Map<String, T> values = new LinkedHashMap<>();
		// keys may expire or go between listing and reading: read on until the limit is
		// reached
		int from = 0;
		while (values.size() < limit && from < keys.size()) {
			// long: without a limit (Integer.MAX_VALUE) the sum would overflow
			int to = (int) Math.min(keys.size(), (long) from + (limit - values.size()));
			values.putAll(bulkRetrieve(keys.subList(from, to), type));
			from = to;
		}
		return values;
	}

	private @Nullable Object read(String key, Type type, boolean useCache) {
		// only valid keys are ever cached: a hit needs no validation
		LocalEntryCache.Holder holder = (useCache && key != null) ? this.cache.get(key) : null;
		if (holder != null) {
			return decode(holder, type);
		}
		KeyNames.validate(key);
		StoredEntry entry = load(key);
		return (entry != null) ? this.serializer.deserialize(entry, type) : null;
	}

	private @Nullable StoredEntry entry(String key) {
		KeyNames.validate(key);
		LocalEntryCache.Holder holder = this.cache.get(key);
		return (holder != null) ? holder.entry : load(key);
	}

	private @Nullable StoredEntry load(String key) {
		LocalEntryCache.Stamp stamp = this.cache.beginLoad();
		StoredEntry entry = live(timed("retrieve", () -> this.backend.get(key)));
		if (entry == null) {
			return null;
		}
		verify(entry);
		this.cache.install(key, entry, stamp);
		return entry;
	}

	private @Nullable Object decode(LocalEntryCache.Holder holder, Type type) {
		Object value = holder.decoded(type);
		if (value == null) {
			value = this.serializer.deserialize(holder.entry, type);
			holder.remember(type, value);
		}
		return value;
	}

	private static @Nullable StoredEntry live(@Nullable StoredEntry entry) {
		return (entry != null && !entry.metadata().isExpiredAt(Instant.now())) ? entry : null;
	}

	private static void verify(StoredEntry entry) {
		KeyValueSerializer.verify(entry);
	}

	// watch, cache and status

	@Override
	public KeyWatch watch(String pattern, Consumer<KeyEvent> listener) {
		Assert.notNull(listener, "Listener must not be null");
		Watch watch = new Watch(KeyNames.glob(pattern), listener);
		this.watches.add(watch);
		return watch;
	}

	@Override
	public KeyStoreCacheStats cacheStats() {
		return this.cache.stats();
	}

	@Override
	public void clearCache() {
		this.cache.clear();
		this.backend.publishCacheClear();
	}

	@Override
	public boolean ping() {
		try {
			this.backend.ping();
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("Key store bucket '" + this.settings.bucket() + "' did not answer a ping", ex);
			return false;
		}
	}

	@Override
	public KeyStoreStats stats() {
		return timed("stats", this.backend::stats);
	}

	@Override
	public KeyStoreOperations forBucket(String bucket) {
		Assert.hasText(bucket, "Bucket must not be empty");
		if (bucket.equals(this.settings.bucket())) {
			return this;
		}
		if (!KeyNames.isValidBucket(bucket)) {
			throw new IllegalArgumentException(
					"Bucket '" + bucket + "' is not allowed: use letters, digits, '-' and '_'");
		}
		KeyValueBackendFactory factory = this.backendFactory;
		if (factory == null) {
			throw new IllegalStateException(
					"This key store has no backend factory; it cannot open bucket '" + bucket + "'");
		}
		return this.otherBuckets.computeIfAbsent(bucket, (name) -> {
			KeyStoreTemplate other = new KeyStoreTemplate(factory.create(name, this.settings.namespace()),
					this.serializer, this.settings.withBucket(name), this.metrics, null);
			other.setObservations(this.observations);
			return other;
		});
	}

	@Override
	public String bucket() {
		return this.settings.bucket();
	}

	@Override
	public String namespace() {
		return this.settings.namespace();
	}

	/**
	 * The backend.
	 * @return the backend
	 */
	public KeyValueBackend getBackend() {
		return this.backend;
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public KeyStoreSettings getSettings() {
		return this.settings;
	}

	/**
	 * Whether the local cache serves hits: it is on and the backend's watch runs.
	 * @return true when serving
	 */
	public boolean isCacheServing() {
		return this.cache.isEnabled() && this.cache.isServing();
	}

	/**
	 * Stops the watch and the backends; never deletes data.
	 */
	@Override
	public void destroy() {
		try {
			this.subscription.close();
		}
		catch (Exception ex) {
			logger.debug("Closing the watch of bucket '" + this.settings.bucket() + "' failed", ex);
		}
		this.otherBuckets.values().forEach(KeyStoreTemplate::destroy);
		ExecutorService executor = this.watchExecutor;
		if (executor != null) {
			executor.shutdown();
		}
		this.backend.close();
	}

	// helpers

	private EntryDraft draft(String key, @Nullable Object value, StoreOptions options, @Nullable KeyMetadata kept) {
		KeyNames.validate(key);
		Assert.notNull(options, "StoreOptions must not be null");
		KeyFormat format = formatFor(options, kept);
		KeyValueSerializer.Serialized serialized = this.serializer.serialize(key, value, format);
		Instant now = Instant.now();
		List<String> tags = (!options.getTags().isEmpty() || kept == null) ? options.getTags() : kept.tags();
		Instant expiresAt;
		if (options.getTtl() != null) {
			expiresAt = now.plus(options.getTtl());
		}
		else if (options.isPersistent()) {
			expiresAt = null;
		}
		else if (kept != null) {
			expiresAt = kept.expiresAt();
		}
		else {
			expiresAt = (this.settings.defaultTtl() != null) ? now.plus(this.settings.defaultTtl()) : null;
		}
		return new EntryDraft(serialized.bytes(), format, serialized.type(), tags,
				KeyValueSerializer.checksum(serialized.bytes()), now, expiresAt);
	}

	private KeyFormat formatFor(StoreOptions options, @Nullable KeyMetadata kept) {
		if (options.getFormat() != null) {
			return options.getFormat();
		}
		// a value written without natsboot (no checksum) has no format of its own to keep
		return (kept != null && kept.checksum() != null) ? kept.format() : this.settings.defaultFormat();
	}

	private KeyMetadata written(String key, EntryDraft draft, KeyMetadata stored, LocalEntryCache.Stamp stamp) {
		this.cache.install(key, new StoredEntry(stored, draft.value()), stamp);
		return stored;
	}

	private static KeyMetadata required(String key, @Nullable KeyMetadata stored) {
		if (stored == null) {
			throw new KeyStoreException("The backend refused an unconditional write of key '" + key + "'");
		}
		return stored;
	}

	private <T> T timed(String operation, Supplier<T> call) {
		ObservationSettings<KeyStoreObservationConvention> observed = this.observations;
		Observation observation = Observation.NOOP;
		if (observed.isOn()) {
			KeyStoreObservationContext context = new KeyStoreObservationContext(this.settings.bucket(), operation,
					this.backend.name());
			observation = KeyStoreObservation.OPERATION.start(observed.convention(),
					DefaultKeyStoreObservationConvention.INSTANCE, () -> context, observed.registry());
		}
		long start = System.nanoTime();
		String outcome = "error";
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			outcome = "success";
			return result;
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			this.metrics.keyStoreOperation(this.settings.bucket(), operation, System.nanoTime() - start, outcome);
			observation.stop();
		}
	}

	private void dispatch(KeyEvent event) {
		for (Watch watch : this.watches) {
			if (watch.glob.matches(event.key())) {
				// on a thread of the watches: a slow listener never delays the cache's
				// invalidations
				watchExecutor().execute(() -> {
					try {
						watch.listener.accept(event);
					}
					catch (RuntimeException ex) {
						logger.warn("Key store watch '" + watch.glob.pattern() + "' failed on " + event.type()
								+ " of key '" + event.key() + "'", ex);
					}
				});
			}
		}
	}

	private ExecutorService watchExecutor() {
		ExecutorService executor = this.watchExecutor;
		if (executor == null) {
			synchronized (this.watches) {
				executor = this.watchExecutor;
				if (executor == null) {
					executor = Executors.newSingleThreadExecutor(
							NatsThreads.daemon("natsboot-keystore-watch-" + this.settings.bucket()));
					this.watchExecutor = executor;
				}
			}
		}
		return executor;
	}

	private final class BackendListener implements KeyValueBackend.Listener {

		@Override
		public void onEvent(KeyEvent event) {
			KeyStoreTemplate.this.cache.invalidate(event.key(), event.revision());
			dispatch(event);
		}

		@Override
		public void onCacheClear() {
			KeyStoreTemplate.this.cache.clear();
		}

		@Override
		public void onWatchResumed() {
			KeyStoreTemplate.this.cache.setServing(true);
		}

		@Override
		public void onWatchInterrupted() {
			KeyStoreTemplate.this.cache.setServing(false);
		}

	}

	private final class Watch implements KeyWatch {

		private final KeyNames.Glob glob;

		private final Consumer<KeyEvent> listener;

		Watch(KeyNames.Glob glob, Consumer<KeyEvent> listener) {
			this.glob = glob;
			this.listener = listener;
		}

		@Override
		public String pattern() {
			return this.glob.pattern();
		}

		@Override
		public void close() {
			KeyStoreTemplate.this.watches.remove(this);
		}

	}

}
