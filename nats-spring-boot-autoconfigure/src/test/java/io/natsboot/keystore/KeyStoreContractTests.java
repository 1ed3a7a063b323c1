package io.natsboot.keystore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.natsboot.core.Jackson2JsonCodec;
import io.natsboot.keystore.fixtures.Profile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * One contract for every key store backend: the same scenarios and expectations run on
 * NATS KV, Redis and memory, each against its real server. A subclass supplies backend
 * factories; each factory stands for one application instance (its own connection), all
 * on the same server.
 */
abstract class KeyStoreContractTests {

	private final List<KeyStoreTemplate> templates = new ArrayList<>();

	protected final String bucket = "ks" + UUID.randomUUID().toString().substring(0, 8);

	/**
	 * A backend factory for one more application instance on the shared server.
	 */
	protected abstract KeyValueBackendFactory newInstanceFactory();

	/**
	 * Lets a factory's resources go after a test.
	 */
	protected void closeFactories() {
	}

	/**
	 * Writes a value as a client without natsboot would (no metadata), or returns false
	 * when the backend has no such client.
	 */
	protected abstract boolean rawPut(String bucket, String namespace, String key, byte[] value);

	/**
	 * Reads a value as a client without natsboot would, or null when absent.
	 */
	protected abstract byte @org.jspecify.annotations.Nullable [] rawGet(String bucket, String namespace, String key);

	protected KeyStoreTemplate instance() {
		return instance(KeyStoreSettings.defaults(this.bucket, "app"));
	}

	protected KeyStoreTemplate instance(KeyStoreSettings settings) {
		KeyValueBackendFactory factory = newInstanceFactory();
		KeyStoreTemplate template = new KeyStoreTemplate(
				factory.create(settings.bucket(), settings.namespace()), new KeyValueSerializer(new Jackson2JsonCodec(),
						List.of("io.natsboot.keystore.fixtures"), getClass().getClassLoader()),
				settings, KeyStoreMetrics.NONE, factory);
		this.templates.add(template);
		await().atMost(Duration.ofSeconds(10)).until(template::isCacheServing);
		return template;
	}

	@AfterEach
	void closeTemplates() {
		this.templates.forEach(KeyStoreTemplate::destroy);
		this.templates.clear();
		closeFactories();
	}

	// seed scenarios

	@Test
	void storesAndRetrievesJsonWithMetadata() {
		KeyStoreTemplate store = instance();
		KeyMetadata stored = store.store("user:123", Map.of("name", "Alice", "age", 30));
		assertThat(stored.version()).isEqualTo(1);
		assertThat(stored.format()).isEqualTo(KeyFormat.JSON);
		assertThat(stored.checksum()).hasSize(64);
		assertThat(store.retrieve("user:123")).isEqualTo(Map.of("name", "Alice", "age", 30));
		assertThat(store.retrieve("user:123", Profile.class)).isEqualTo(new Profile("Alice", 30));
		KeyMetadata metadata = store.getMetadata("user:123");
		assertThat(metadata).isNotNull();
		assertThat(metadata.version()).isEqualTo(1);
		assertThat(metadata.size()).isEqualTo("{\"name\":\"Alice\",\"age\":30}".length());
		assertThat(metadata.createdAt()).isEqualTo(metadata.updatedAt());
		assertThat(metadata.expiresAt()).isNull();
		assertThat(store.delete("user:123")).isTrue();
		assertThat(store.delete("user:123")).isFalse();
		assertThat(store.retrieve("user:123")).isNull();
		assertThat(store.getMetadata("user:123")).isNull();
	}

	@Test
	void storesConfigTextAndBinary() {
		KeyStoreTemplate store = instance();
		store.store("config.ini", "[database]\nhost=localhost", StoreOptions.format(KeyFormat.TEXT));
		assertThat(store.retrieve("config.ini")).isEqualTo("[database]\nhost=localhost");
		assertThat(store.retrieve("config.ini", String.class)).isEqualTo("[database]\nhost=localhost");
		byte[] image = { 0, 1, 2, (byte) 255 };
		store.store("image", image, StoreOptions.format(KeyFormat.BINARY).tags("media"));
		assertThat((byte[]) store.retrieve("image")).containsExactly(image);
		// neither the caller's array nor a returned one is the stored one
		byte[] expected = image.clone();
		image[0] = 42;
		((byte[]) store.retrieve("image"))[1] = 42;
		assertThat(store.retrieve("image", byte[].class)).containsExactly(expected);
		assertThat(store.getMetadata("image").tags()).containsExactly("media");
		assertThat(store.getMetadata("image").format()).isEqualTo(KeyFormat.BINARY);
	}

	@Test
	void typedJsonReadsBackItsClassAndRefusesClassesOutsideTheAllowList() {
		KeyStoreTemplate store = instance();
		store.store("profile:1", new Profile("Bob", 41), StoreOptions.format(KeyFormat.TYPED_JSON));
		assertThat(store.retrieve("profile:1")).isEqualTo(new Profile("Bob", 41));
		assertThat(store.getMetadata("profile:1").type()).isEqualTo(Profile.class.getName());
		assertThatExceptionOfType(KeyStoreTypeNotAllowedException.class)
			.isThrownBy(() -> store.store("thread", new StringBuilder("x"), StoreOptions.format(KeyFormat.TYPED_JSON)))
			.withMessageContaining("thread")
			.withMessageContaining("java.lang.StringBuilder");
		assertThat(store.exists("thread")).isFalse();
		// an entry naming a class outside the list, written behind the template, is
		// refused on read
		byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
		store.getBackend()
			.write("gadget", new EntryDraft(json, KeyFormat.TYPED_JSON, "java.util.logging.FileHandler", List.of(),
					KeyValueSerializer.checksum(json), Instant.now(), null), WriteCondition.ALWAYS);
		assertThatExceptionOfType(KeyStoreTypeNotAllowedException.class).isThrownBy(() -> store.retrieve("gadget"))
			.withMessageContaining("gadget");
	}

	@Test
	void sessionExpiresOnEveryInstanceAtOnce() {
		KeyStoreTemplate first = instance();
		KeyStoreTemplate second = instance();
		List<KeyEvent> events = new CopyOnWriteArrayList<>();
		second.watch("session:*", events::add);
		KeyMetadata stored = first.store("session:abc", Map.of("user", "u1"),
				StoreOptions.ttl(Duration.ofMillis(1500)));
		assertThat(stored.expiresAt()).isNotNull();
		assertThat(second.retrieve("session:abc")).isEqualTo(Map.of("user", "u1"));
		assertThat(second.listKeys("session:*")).containsExactly("session:abc");
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(stored.expiresAt()));
		for (KeyStoreTemplate store : List.of(first, second)) {
			assertThat(store.retrieve("session:abc")).isNull();
			assertThat(store.exists("session:abc")).isFalse();
			assertThat(store.listKeys("session:*")).isEmpty();
			assertThat(store.rangeGet("session:", null, 10)).isEmpty();
			assertThat(store.getMetadata("session:abc")).isNull();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events).extracting(KeyEvent::type).contains(KeyEvent.Type.EXPIRED));
		// a new store after expiry starts again at version 1
		assertThat(first.store("session:abc", "again").version()).isEqualTo(1);
	}

	@Test
	void defaultTtlAppliesWhenNoneIsGiven() {
		KeyStoreTemplate store = instance(
				new KeyStoreSettings(this.bucket, "app", KeyFormat.JSON, Duration.ofMinutes(5), true, 100, null));
		assertThat(store.store("cached:1", 1).expiresAt()).isBetween(Instant.now().plusSeconds(290),
				Instant.now().plusSeconds(301));
		assertThat(store.store("cached:2", 2, StoreOptions.format(KeyFormat.JSON).persistent()).expiresAt()).isNull();
		assertThat(store.stats().keysWithTtl()).isEqualTo(1);
		assertThat(store.stats().totalKeys()).isEqualTo(2);
	}

	@Test
	void updateKeepsFormatTagsAndExpiryAndRefusesMissingKeys() {
		KeyStoreTemplate store = instance();
		KeyMetadata first = store.store("doc:1", "v1",
				StoreOptions.format(KeyFormat.TEXT).tags("important", "v2").ttl(Duration.ofMinutes(10)));
		assertThat(store.update("doc:1", "v2")).isTrue();
		KeyMetadata updated = store.getMetadata("doc:1");
		assertThat(updated.version()).isEqualTo(2);
		assertThat(updated.revision()).isGreaterThan(first.revision());
		assertThat(updated.tags()).containsExactly("important", "v2");
		assertThat(updated.format()).isEqualTo(KeyFormat.TEXT);
		assertThat(updated.expiresAt()).isEqualTo(first.expiresAt());
		assertThat(updated.createdAt()).isEqualTo(first.createdAt());
		assertThat(updated.updatedAt()).isAfterOrEqualTo(first.updatedAt());
		assertThat(store.retrieve("doc:1")).isEqualTo("v2");
		assertThat(store.update("doc:missing", "x")).isFalse();
		assertThat(store.exists("doc:missing")).isFalse();
	}

	@Test
	void compareAndSetDetectsConflicts() {
		KeyStoreTemplate first = instance();
		KeyStoreTemplate second = instance();
		first.store("counter", 1);
		KeyEntry<Integer> read = second.retrieveEntry("counter", Integer.class);
		assertThat(read.value()).isEqualTo(1);
		assertThat(first.compareAndSet("counter", 2, read.version())).isTrue();
		assertThat(second.compareAndSet("counter", 99, read.version())).isFalse();
		assertThat(second.retrieve("counter", Integer.class, false)).isEqualTo(2);
		assertThat(first.compareAndSet("missing", 1, 1)).isFalse();
		assertThat(first.storeIfAbsent("counter", 5)).isFalse();
		assertThat(first.storeIfAbsent("fresh", 5)).isTrue();
		assertThat(first.retrieve("fresh", Integer.class)).isEqualTo(5);
	}

	@Test
	void incrementIsAtomicAcrossInstances() throws Exception {
		KeyStoreTemplate first = instance();
		KeyStoreTemplate second = instance();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (KeyStoreTemplate store : List.of(first, second, first, second)) {
				runs.add(pool.submit(() -> {
					for (int i = 0; i < 25; i++) {
						store.increment("batch:progress", 1);
					}
				}));
			}
			for (Future<?> run : runs) {
				run.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(first.retrieve("batch:progress", Long.class, false)).isEqualTo(100);
		assertThat(first.increment("batch:progress", -10)).isEqualTo(90);
		assertThat(first.getMetadata("batch:progress").version()).isEqualTo(101);
	}

	@Test
	void bulkStoresAndRetrievesAThousandKeys() {
		KeyStoreTemplate store = instance();
		Map<String, Object> entries = new LinkedHashMap<>();
		for (int i = 0; i < 1000; i++) {
			entries.put("item:" + i, Map.of("n", i));
		}
		Map<String, KeyMetadata> stored = store.bulkStore(entries, StoreOptions.tags("bulk"));
		assertThat(stored).hasSize(1000);
		assertThat(stored.values()).allSatisfy((metadata) -> assertThat(metadata.version()).isEqualTo(1));
		KeyStoreTemplate other = instance();
		Map<String, Map> read = other.bulkRetrieve(entries.keySet(), Map.class);
		assertThat(read).hasSize(1000);
		assertThat(read.get("item:999")).isEqualTo(Map.of("n", 999));
		assertThat(other.listKeys("item:*")).hasSize(1000);
		assertThat(store.bulkStore(Map.of("item:1", "again")).get("item:1").version()).isEqualTo(2);
		assertThat(other.bulkDelete(List.of("item:1", "item:2", "nope"))).isEqualTo(2);
	}

	@Test
	void listsAndRangesInCodePointOrderWithAnyCharacters() {
		KeyStoreTemplate store = instance();
		List<String> keys = List.of("item:2", "item:10", "item:1", "a b", "ü-key", "config.ini", "database.host",
				".hidden", "x..y", "trail.", "eq=sign", "smile\uD83D\uDE00", "item:zz");
		keys.forEach((key) -> store.store(key, key));
		KeyStoreTemplate other = instance();
		for (String key : keys) {
			assertThat(other.retrieve(key)).as(key).isEqualTo(key);
		}
		assertThat(other.listKeys("*")).containsExactly(".hidden", "a b", "config.ini", "database.host", "eq=sign",
				"item:1", "item:10", "item:2", "item:zz", "smile\uD83D\uDE00", "trail.", "x..y", "ü-key");
		assertThat(other.listKeys("item:?")).containsExactly("item:1", "item:2");
		assertThat(other.listKeys("*.*")).containsExactly(".hidden", "config.ini", "database.host", "trail.", "x..y");
		assertThat(other.rangeGet("item:", "item:3", 10).keySet()).containsExactly("item:1", "item:10", "item:2");
		assertThat(other.rangeGet("item:10", null, 2).keySet()).containsExactly("item:10", "item:2");
		assertThat(other.rangeGet(null, "b", 100).keySet()).containsExactly(".hidden", "a b");
		assertThat(other.prefixGet("item:", 3, String.class)).containsExactly(Map.entry("item:1", "item:1"),
				Map.entry("item:10", "item:10"), Map.entry("item:2", "item:2"));
		assertThat(other.prefixGet("smile", 5).keySet()).containsExactly("smile\uD83D\uDE00");
		assertThat(other.prefixGet("trail.", 5).keySet()).containsExactly("trail.");
		assertThat(other.listKeys("x.*")).containsExactly("x..y");
		assertThatIllegalArgumentException().isThrownBy(() -> other.rangeGet("a", "b", 0))
			.withMessageContaining("Limit");
	}

	@Test
	void rangeAndPrefixReadsNeedNoLimit() {
		KeyStoreTemplate store = instance();
		for (int i = 0; i < 10; i++) {
			store.store("item:" + i, "value_" + i);
		}
		store.store("user:1", "not an item");
		KeyStoreTemplate other = instance();
		// seed: range_get("item:3", "item:7"), range_get("item:"), range_get("item:",
		// limit=5)
		assertThat(other.rangeGet("item:3", "item:7")).containsExactly(Map.entry("item:3", "value_3"),
				Map.entry("item:4", "value_4"), Map.entry("item:5", "value_5"), Map.entry("item:6", "value_6"));
		assertThat(other.prefixGet("item:")).hasSize(10).doesNotContainKey("user:1");
		assertThat(other.prefixGet("item:", 5).keySet()).containsExactly("item:0", "item:1", "item:2", "item:3",
				"item:4");
		assertThat(other.prefixGet("item:", String.class)).hasSize(10).containsEntry("item:9", "value_9");
		assertThat(other.rangeGet("item:8", null).keySet()).containsExactly("item:8", "item:9", "user:1");
		assertThat(other.rangeGet(null, "item:2", String.class)).containsExactly(Map.entry("item:0", "value_0"),
				Map.entry("item:1", "value_1"));
		assertThat(other.rangeGet(null, null)).hasSize(11);
		assertThat(other.prefixGet("nothing:")).isEmpty();
	}

	@Test
	void aCacheFilledPastMaxSizeEvictsAndCountsTheEvictions() {
		KeyStoreTemplate store = instance(
				new KeyStoreSettings(this.bucket, "app", KeyFormat.JSON, null, true, 5, null));
		for (int i = 0; i < 20; i++) {
			store.store("cached:" + i, i);
		}
		// read right after the writes: the figures include the evictions still pending
		KeyStoreCacheStats stats = store.cacheStats();
		assertThat(stats.maxSize()).isEqualTo(5);
		assertThat(stats.size()).isEqualTo(5);
		assertThat(stats.evictions()).isEqualTo(15);
		// the evicted entries are still stored: a miss reads them from the backend
		for (int i = 0; i < 20; i++) {
			assertThat(store.retrieve("cached:" + i, Integer.class)).isEqualTo(i);
		}
		stats = store.cacheStats();
		assertThat(stats.size()).isEqualTo(5);
		assertThat(stats.misses()).isGreaterThanOrEqualTo(15);
		assertThat(stats.evictions()).isGreaterThanOrEqualTo(30);
	}

	@Test
	void batchProgressIsTrackedAndListedByPrefix() {
		KeyStoreTemplate store = instance();
		for (String batch : List.of("b2", "b10", "b1")) {
			store.store("batch:" + batch, Map.of("total", 100, "processed", 0, "failed", 0),
					StoreOptions.ttl(Duration.ofHours(1)).tags("batch"));
		}
		KeyStoreTemplate worker = instance();
		for (int i = 0; i < 3; i++) {
			boolean updated;
			do {
				KeyEntry<Map> read = worker.retrieveEntry("batch:b10", Map.class);
				Map<String, Object> next = new LinkedHashMap<>(read.value());
				next.put("processed", ((Number) next.get("processed")).intValue() + 1);
				updated = worker.compareAndSet("batch:b10", next, read.version());
			}
			while (!updated);
		}
		Map<String, Map> all = store.prefixGet("batch:", 10, Map.class);
		assertThat(all.keySet()).containsExactly("batch:b1", "batch:b10", "batch:b2");
		assertThat(store.retrieve("batch:b10", Map.class, false)).containsEntry("processed", 3);
		KeyMetadata metadata = store.getMetadata("batch:b10");
		assertThat(metadata.version()).isEqualTo(4);
		assertThat(metadata.tags()).containsExactly("batch");
		assertThat(metadata.expiresAt()).isAfter(Instant.now().plusSeconds(3500));
	}

	@Test
	void namespacesIsolateApplicationsOnOneBucket() {
		KeyStoreTemplate appA = instance(KeyStoreSettings.defaults(this.bucket, "app-a"));
		KeyStoreTemplate appB = instance(KeyStoreSettings.defaults(this.bucket, "app-b"));
		appA.store("shared", "from a");
		appB.store("shared", "from b");
		assertThat(appA.retrieve("shared")).isEqualTo("from a");
		assertThat(appB.retrieve("shared")).isEqualTo("from b");
		appA.store("only-a", 1);
		assertThat(appB.listKeys("*")).containsExactly("shared");
		assertThat(appB.exists("only-a")).isFalse();
		assertThat(appA.stats().totalKeys()).isEqualTo(2);
		assertThat(appB.stats().totalKeys()).isEqualTo(1);
		KeyStoreTemplate dotted = instance(KeyStoreSettings.defaults(this.bucket, "app-a.b"));
		appA.store("b.c", "a + b.c");
		dotted.store("c", "a.b + c");
		assertThat(appA.retrieve("b.c", String.class, false)).isEqualTo("a + b.c");
		assertThat(dotted.listKeys("*")).containsExactly("c");
		KeyStoreOperations otherBucket = appA.forBucket(this.bucket + "-other");
		assertThat(otherBucket.exists("shared")).isFalse();
		otherBucket.store("shared", "elsewhere");
		assertThat(appA.retrieve("shared")).isEqualTo("from a");
		assertThat(otherBucket.retrieve("shared")).isEqualTo("elsewhere");
	}

	@Test
	void watchSeesPutsAndDeletesOfOtherInstances() {
		KeyStoreTemplate writer = instance();
		KeyStoreTemplate watcher = instance();
		List<KeyEvent> events = new CopyOnWriteArrayList<>();
		KeyWatch watch = watcher.watch("config:*", events::add);
		writer.store("config:db", "h1");
		writer.store("other", "ignored");
		writer.delete("config:db");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events).hasSize(2));
		assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.PUT, KeyEvent.Type.DELETE);
		assertThat(events).extracting(KeyEvent::key).containsOnly("config:db");
		assertThat(events.get(1).revision()).isGreaterThan(events.get(0).revision());
		watch.close();
		writer.store("config:db", "h2");
		writer.store("config:sync", "done");
		await().atMost(Duration.ofSeconds(5)).until(() -> watcher.retrieve("config:sync", String.class, false) != null);
		assertThat(events).hasSize(2);
	}

	@Test
	void cacheStaysCoherentAcrossInstances() {
		KeyStoreTemplate first = instance();
		KeyStoreTemplate second = instance();
		first.store("api:cache", "v1");
		assertThat(second.retrieve("api:cache")).isEqualTo("v1");
		assertThat(second.retrieve("api:cache")).isEqualTo("v1");
		assertThat(second.cacheStats().hits()).isGreaterThanOrEqualTo(1);
		first.update("api:cache", "v2");
		assertThat(second.retrieve("api:cache", String.class, false)).isEqualTo("v2");
		await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(second.retrieve("api:cache")));
		first.delete("api:cache");
		await().atMost(Duration.ofSeconds(5)).until(() -> second.retrieve("api:cache") == null);
		first.store("api:other", "x");
		second.retrieve("api:other");
		assertThat(second.cacheStats().size()).isPositive();
		first.clearCache();
		await().atMost(Duration.ofSeconds(5)).until(() -> second.cacheStats().size() == 0);
		KeyStoreCacheStats stats = second.cacheStats();
		assertThat(stats.enabled()).isTrue();
		assertThat(stats.maxSize()).isEqualTo(10_000);
		assertThat(stats.hitRatio()).isBetween(0.0, 1.0);
	}

	@Test
	void tamperedValuesRaiseIntegrityExceptions() {
		KeyStoreTemplate store = instance();
		KeyStoreTemplate other = instance();
		store.store("account:1", Map.of("balance", 100));
		assertThat(other.retrieve("account:1")).isEqualTo(Map.of("balance", 100));
		byte[] original = "{\"balance\":100}".getBytes(StandardCharsets.UTF_8);
		byte[] tampered = "{\"balance\":999}".getBytes(StandardCharsets.UTF_8);
		store.getBackend()
			.write("account:1", new EntryDraft(tampered, KeyFormat.JSON, null, List.of(),
					KeyValueSerializer.checksum(original), Instant.now(), null), WriteCondition.ALWAYS);
		for (KeyStoreTemplate reader : List.of(store, other)) {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThatExceptionOfType(KeyStoreIntegrityException.class)
					.isThrownBy(() -> reader.retrieve("account:1"))
					.withMessageContaining("account:1"));
		}
	}

	@Test
	void badInputIsRefusedBeforeAnyWrite() {
		KeyStoreTemplate store = instance();
		assertThatIllegalArgumentException().isThrownBy(() -> store.store("", "x")).withMessageContaining("Key");
		assertThatIllegalArgumentException().isThrownBy(() -> store.store(null, "x")).withMessageContaining("Key");
		String tooLong = "k".repeat(KeyNames.MAX_KEY_BYTES + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> store.store(tooLong, "x"))
			.withMessageContaining("too long");
		assertThatIllegalArgumentException().isThrownBy(() -> store.store("nullvalue", null))
			.withMessageContaining("nullvalue");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.store("neg", "x", StoreOptions.ttl(Duration.ofSeconds(-1))))
			.withMessageContaining("TTL");
		assertThatIllegalArgumentException().isThrownBy(() -> store.store("half\uD83D", "x"))
			.withMessageContaining("surrogate");
		assertThatIllegalArgumentException().isThrownBy(() -> store.store("tagged", "x", StoreOptions.tags("café")))
			.withMessageContaining("café");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.store("bin", "not bytes", StoreOptions.format(KeyFormat.BINARY)))
			.withMessageContaining("bin")
			.withMessageContaining("byte[]");
		Map<String, Object> bulk = new LinkedHashMap<>();
		bulk.put("good", 1);
		bulk.put("", 2);
		assertThatIllegalArgumentException().isThrownBy(() -> store.bulkStore(bulk));
		assertThat(store.listKeys("*")).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> store.listKeys("")).withMessageContaining("pattern");
	}

	@Test
	void genericAndDefaultReads() {
		KeyStoreTemplate store = instance();
		store.store("list", List.of(new Profile("a", 1), new Profile("b", 2)));
		assertThat(store.retrieve("list", new ParameterizedTypeReference<List<Profile>>() {
		})).containsExactly(new Profile("a", 1), new Profile("b", 2));
		assertThat(store.retrieveOrDefault("missing", String.class, "fallback")).isEqualTo("fallback");
		assertThat(store.ping()).isTrue();
		assertThat(store.stats().backend()).isEqualTo(store.getBackend().name());
	}

	@Test
	void plainClientsReadValuesAndTheirValuesReadBack() {
		KeyStoreTemplate store = instance();
		store.store("database.host", "db.example.com", StoreOptions.format(KeyFormat.TEXT));
		store.store("user:7", Map.of("name", "Eve"));
		byte[] plain = rawGet(this.bucket, "app", "database.host");
		if (plain == null && !rawPut(this.bucket, "app", "probe", new byte[] { 1 })) {
			return; // this backend has no client besides natsboot
		}
		assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("db.example.com");
		assertThat(new String(rawGet(this.bucket, "app", "user:7"), StandardCharsets.UTF_8))
			.isEqualTo("{\"name\":\"Eve\"}");
		assertThat(rawPut(this.bucket, "app", "from.python", "{\"lang\":\"py\"}".getBytes(StandardCharsets.UTF_8)))
			.isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> store.exists("from.python"));
		assertThat(store.retrieve("from.python", Map.class)).isEqualTo(Map.of("lang", "py"));
		assertThat(store.retrieve("from.python", String.class)).isEqualTo("{\"lang\":\"py\"}");
		KeyMetadata foreign = store.getMetadata("from.python");
		assertThat(foreign.format()).isEqualTo(KeyFormat.BINARY);
		assertThat(foreign.checksum()).isNull();
		assertThat(store.update("from.python", Map.of("lang", "java"))).isTrue();
		assertThat(store.getMetadata("from.python").version()).isEqualTo(2);
	}

}
