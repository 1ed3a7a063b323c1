package io.natsboot.keystore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.keystore.EntryDraft;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreException;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.KeyValueSerializer;
import io.natsboot.keystore.StoredEntry;
import io.natsboot.keystore.WriteCondition;
import io.natsboot.test.RedisServerProcess;
import io.natsboot.test.ServerProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisKeyValueBackend} and {@link RedisKeyValueBackendFactory} against
 * a real {@code redis-server}.
 */
class RedisKeyValueBackendTests {

	private static final AtomicInteger buckets = new AtomicInteger();

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static LettuceConnectionFactory otherConnectionFactory;

	private static RedisKeyValueBackendFactory factory;

	private static RedisKeyValueBackendFactory otherFactory;

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.startDefault();
		connectionFactory = connectionFactory(redis.port());
		otherConnectionFactory = connectionFactory(redis.port());
		factory = new RedisKeyValueBackendFactory(connectionFactory, Duration.ofMillis(100));
		// another application instance: its own connections, container and threads
		otherFactory = new RedisKeyValueBackendFactory(otherConnectionFactory, Duration.ofMillis(100));
	}

	@AfterAll
	static void stopRedis() {
		if (factory != null) {
			factory.destroy();
		}
		if (otherFactory != null) {
			otherFactory.destroy();
		}
		destroy(connectionFactory);
		destroy(otherConnectionFactory);
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void writeAndGetRoundTripWithMetadata() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		EntryDraft draft = draft("{\"name\":\"Ada\"}", null, List.of("web", "v2"));
		KeyMetadata written = backend.write("user:1", draft, WriteCondition.ALWAYS);
		assertThat(written).isNotNull();
		assertThat(written.version()).isEqualTo(1);
		assertThat(written.revision()).isPositive();
		assertThat(written.createdAt()).isEqualTo(draft.writtenAt());
		StoredEntry entry = backend.get("user:1");
		assertThat(entry).isNotNull();
		assertThat(entry.value()).isEqualTo(draft.value());
		KeyMetadata metadata = entry.metadata();
		assertThat(metadata).isEqualTo(written);
		assertThat(metadata.key()).isEqualTo("user:1");
		assertThat(metadata.size()).isEqualTo(draft.value().length);
		assertThat(metadata.tags()).containsExactly("web", "v2");
		assertThat(metadata.format()).isEqualTo(KeyFormat.JSON);
		assertThat(metadata.type()).isNull();
		assertThat(metadata.checksum()).isEqualTo(draft.checksum());
		assertThat(metadata.updatedAt()).isEqualTo(draft.writtenAt());
		assertThat(metadata.expiresAt()).isNull();
		assertThat(backend.get("user:2")).isNull();
	}

	@Test
	void keyLayoutIsReadableByOtherClients() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "app");
		Instant expiresAt = Instant.now().plusSeconds(60);
		EntryDraft draft = new EntryDraft(utf8("{\"a\":1}"), KeyFormat.TYPED_JSON, "com.example.Thing", List.of("t"),
				KeyValueSerializer.checksum(utf8("{\"a\":1}")), Instant.now(), expiresAt);
		KeyMetadata written = backend.write("user:1", draft, WriteCondition.ALWAYS);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.stringCommands().get(utf8("{" + bucket + "}:app:user:1")))
				.isEqualTo(utf8("{\"a\":1}"));
			Map<String, String> hash = new LinkedHashMap<>();
			connection.hashCommands()
				.hGetAll(utf8("{" + bucket + "}#meta:app:user:1"))
				.forEach((field, value) -> hash.put(text(field), text(value)));
			assertThat(hash).containsEntry("version", "1")
				.containsEntry("revision", Long.toString(written.revision()))
				.containsEntry("format", "typed-json")
				.containsEntry("type", "com.example.Thing")
				.containsEntry("tags", "t")
				.containsEntry("checksum", draft.checksum())
				.containsEntry("createdAt", draft.writtenAt().toString())
				.containsEntry("updatedAt", draft.writtenAt().toString())
				.containsEntry("expiresAt", expiresAt.toString());
			assertThat(connection.keyCommands().pTtl(utf8("{" + bucket + "}:app:user:1"))).isBetween(50_000L, 60_001L);
			assertThat(connection.keyCommands().pTtl(utf8("{" + bucket + "}#meta:app:user:1"))).isBetween(50_000L,
					60_001L);
			assertThat(text(connection.stringCommands().get(utf8("{" + bucket + "}#revision"))))
				.isEqualTo(Long.toString(written.revision()));
		}
		StoredEntry entry = backend.get("user:1");
		assertThat(entry.metadata()).isEqualTo(written);
		// a write without expiry makes both keys persistent again
		backend.write("user:1", draft("{}", null, List.of()), WriteCondition.ALWAYS);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().pTtl(utf8("{" + bucket + "}:app:user:1"))).isEqualTo(-1);
			assertThat(connection.keyCommands().pTtl(utf8("{" + bucket + "}#meta:app:user:1"))).isEqualTo(-1);
			assertThat(connection.hashCommands().hExists(utf8("{" + bucket + "}#meta:app:user:1"), utf8("expiresAt")))
				.isFalse();
		}
	}

	@Test
	void versionIncrementsAndCreatedAtIsKeptUntilDelete() throws InterruptedException {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		EntryDraft first = draft("1", null, List.of());
		KeyMetadata one = backend.write("counter", first, WriteCondition.ALWAYS);
		Thread.sleep(5);
		EntryDraft second = draft("2", null, List.of());
		KeyMetadata two = backend.write("counter", second, WriteCondition.ALWAYS);
		assertThat(two.version()).isEqualTo(2);
		assertThat(two.revision()).isGreaterThan(one.revision());
		assertThat(two.createdAt()).isEqualTo(first.writtenAt());
		assertThat(two.updatedAt()).isEqualTo(second.writtenAt());
		assertThat(backend.get("counter").metadata()).isEqualTo(two);
		KeyMetadata three = backend.write("counter", draft("3", null, List.of()), WriteCondition.ALWAYS);
		assertThat(three.version()).isEqualTo(3);
		assertThat(backend.delete("counter", WriteCondition.PRESENT)).isTrue();
		EntryDraft again = draft("4", null, List.of());
		KeyMetadata fresh = backend.write("counter", again, WriteCondition.ALWAYS);
		assertThat(fresh.version()).isEqualTo(1);
		assertThat(fresh.createdAt()).isEqualTo(again.writtenAt());
		assertThat(fresh.revision()).isGreaterThan(three.revision() + 1);
	}

	@Test
	void conditionsAreCheckedWithTheWrite() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		assertThat(backend.write("k", draft("0", null, List.of()), WriteCondition.PRESENT)).isNull();
		assertThat(backend.write("k", draft("0", null, List.of()), WriteCondition.version(1))).isNull();
		assertThat(backend.write("k", draft("0", null, List.of()), WriteCondition.revision(0))).isNull();
		assertThat(backend.get("k")).isNull();
		KeyMetadata created = backend.write("k", draft("1", null, List.of()), WriteCondition.ABSENT);
		assertThat(created).isNotNull();
		assertThat(backend.write("k", draft("x", null, List.of()), WriteCondition.ABSENT)).isNull();
		assertThat(backend.write("k", draft("x", null, List.of()), WriteCondition.version(2))).isNull();
		assertThat(backend.write("k", draft("x", null, List.of()), WriteCondition.revision(created.revision() + 1)))
			.isNull();
		assertThat(text(backend.get("k").value())).isEqualTo("1");
		KeyMetadata byVersion = backend.write("k", draft("2", null, List.of()), WriteCondition.version(1));
		assertThat(byVersion.version()).isEqualTo(2);
		KeyMetadata byRevision = backend.write("k", draft("3", null, List.of()),
				WriteCondition.revision(byVersion.revision()));
		assertThat(byRevision.version()).isEqualTo(3);
		KeyMetadata present = backend.write("k", draft("4", null, List.of()), WriteCondition.PRESENT);
		assertThat(present.version()).isEqualTo(4);
		assertThat(backend.delete("k", WriteCondition.version(3))).isFalse();
		assertThat(backend.delete("k", WriteCondition.revision(present.revision() - 1))).isFalse();
		assertThat(backend.delete("k", WriteCondition.revision(present.revision()))).isTrue();
		assertThat(backend.get("k")).isNull();
	}

	@Test
	void deleteTellsWhetherALiveKeyWasDeleted() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		assertThat(backend.delete("gone", WriteCondition.PRESENT)).isFalse();
		backend.write("gone", draft("1", null, List.of()), WriteCondition.ALWAYS);
		assertThat(backend.delete("gone", WriteCondition.PRESENT)).isTrue();
		assertThat(backend.delete("gone", WriteCondition.PRESENT)).isFalse();
		assertThat(backend.get("gone")).isNull();
		assertThat(backend.keys("")).isEmpty();
	}

	@Test
	void expiredEntriesAreAbsentOnEveryReadPath() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		Instant expiresAt = Instant.now().plusMillis(300);
		KeyMetadata written = backend.write("session", draft("s", expiresAt, List.of()), WriteCondition.ALWAYS);
		assertThat(written.expiresAt()).isEqualTo(expiresAt);
		assertThat(written.ttl()).isNotNull();
		assertThat(backend.get("session").metadata().expiresAt()).isEqualTo(expiresAt);
		assertThat(backend.keys("")).containsExactly("session");
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expiresAt));
		assertThat(backend.get("session")).isNull();
		assertThat(backend.getAll(List.of("session"))).isEmpty();
		assertThat(backend.keys("")).isEmpty();
		assertThat(backend.delete("session", WriteCondition.PRESENT)).isFalse();
		KeyMetadata again = backend.write("session", draft("t", null, List.of()), WriteCondition.ABSENT);
		assertThat(again.version()).isEqualTo(1);
	}

	@Test
	void expiryIsJudgedByTheClientBeforeRedisRemovesTheKey() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "");
		backend.write("stale", draft("s", null, List.of()), WriteCondition.ALWAYS);
		// as if the client's clock were ahead of the server's: the metadata says expired,
		// Redis still holds the keys
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands()
				.hSet(utf8("{" + bucket + "}#meta:stale"), utf8("expiresAt"),
						utf8(Instant.now().minusSeconds(1).toString()));
		}
		assertThat(backend.get("stale")).isNull();
		assertThat(backend.getAll(List.of("stale"))).isEmpty();
		assertThat(backend.keys("")).isEmpty();
		assertThat(backend.stats().totalKeys()).isZero();
		assertThat(backend.write("stale", draft("x", null, List.of()), WriteCondition.PRESENT)).isNull();
		KeyMetadata fresh = backend.write("stale", draft("x", null, List.of()), WriteCondition.ABSENT);
		assertThat(fresh.version()).isEqualTo(1);
	}

	@Test
	void keysListsByPrefixWithSpecialCharacters() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		List<String> keys = List.of("user:1", "user:2", "user name:x y", "usér:ü", "user*[x]?\\", "other:1", "日本:キー");
		keys.forEach((key) -> backend.write(key, draft(key, null, List.of()), WriteCondition.ALWAYS));
		assertThat(backend.keys("")).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(backend.keys("user:")).containsExactlyInAnyOrder("user:1", "user:2");
		assertThat(backend.keys("user")).containsExactlyInAnyOrder("user:1", "user:2", "user name:x y", "user*[x]?\\");
		assertThat(backend.keys("user name:")).containsExactly("user name:x y");
		assertThat(backend.keys("usér:")).containsExactly("usér:ü");
		assertThat(backend.keys("user*")).containsExactly("user*[x]?\\");
		assertThat(backend.keys("user?")).isEmpty();
		assertThat(backend.keys("日本")).containsExactly("日本:キー");
		assertThat(backend.keys("nothing")).isEmpty();
		for (String key : keys) {
			assertThat(text(backend.get(key).value())).isEqualTo(key);
		}
	}

	@Test
	void namespacesAreIsolated() {
		String bucket = bucket();
		RedisKeyValueBackend a = factory.create(bucket, "a");
		RedisKeyValueBackend b = factory.create(bucket, "b");
		KeyMetadata inA = a.write("shared", draft("A", null, List.of()), WriteCondition.ALWAYS);
		KeyMetadata inB = b.write("shared", draft("B", null, List.of()), WriteCondition.ABSENT);
		assertThat(inB).isNotNull();
		assertThat(inB.version()).isEqualTo(1);
		assertThat(inB.revision()).isGreaterThan(inA.revision());
		a.write("only-a", draft("A", null, List.of()), WriteCondition.ALWAYS);
		assertThat(text(a.get("shared").value())).isEqualTo("A");
		assertThat(text(b.get("shared").value())).isEqualTo("B");
		assertThat(b.get("only-a")).isNull();
		assertThat(a.keys("")).containsExactlyInAnyOrder("shared", "only-a");
		assertThat(b.keys("")).containsExactly("shared");
		assertThat(b.stats().totalKeys()).isEqualTo(1);
		assertThat(a.delete("shared", WriteCondition.PRESENT)).isTrue();
		assertThat(text(b.get("shared").value())).isEqualTo("B");
	}

	@Test
	void otherInstancesHearPutDeleteAndCacheClearOfTheirNamespace() {
		String bucket = bucket();
		RedisKeyValueBackend writer = factory.create(bucket, "a");
		RedisKeyValueBackend otherNamespace = factory.create(bucket, "b");
		Recorder recorder = new Recorder();
		Recorder otherRecorder = new Recorder();
		RedisKeyValueBackend reader = otherFactory.create(bucket, "a");
		AutoCloseable subscription = reader.subscribe(recorder);
		otherFactory.create(bucket, "b").subscribe(otherRecorder);
		// the watch runs when subscribe returns
		assertThat(recorder.resumed).hasValue(1);
		KeyMetadata put = writer.write("user:1 x", draft("1", null, List.of()), WriteCondition.ALWAYS);
		otherNamespace.write("user:1 x", draft("1", null, List.of()), WriteCondition.ALWAYS);
		assertThat(writer.delete("user:1 x", WriteCondition.PRESENT)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() >= 2);
		assertThat(recorder.events).hasSize(2);
		KeyEvent putEvent = recorder.events.get(0);
		assertThat(putEvent.type()).isEqualTo(KeyEvent.Type.PUT);
		assertThat(putEvent.key()).isEqualTo("user:1 x");
		assertThat(putEvent.revision()).isEqualTo(put.revision());
		KeyEvent deleteEvent = recorder.events.get(1);
		assertThat(deleteEvent.type()).isEqualTo(KeyEvent.Type.DELETE);
		assertThat(deleteEvent.key()).isEqualTo("user:1 x");
		assertThat(deleteEvent.revision()).isGreaterThan(put.revision());
		await().atMost(Duration.ofSeconds(5)).until(() -> otherRecorder.events.size() == 1);
		assertThat(otherRecorder.events.get(0).revision()).isGreaterThan(put.revision());
		writer.publishCacheClear();
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.clears.get() == 1);
		assertThat(otherRecorder.clears).hasValue(0);
		// no gap was reported along the way
		assertThat(recorder.interrupted).hasValue(0);
		close(subscription);
		writer.write("after", draft("1", null, List.of()), WriteCondition.ALWAYS);
		otherNamespace.write("after", draft("1", null, List.of()), WriteCondition.ALWAYS);
		await().atMost(Duration.ofSeconds(5)).until(() -> otherRecorder.events.size() == 2);
		assertThat(recorder.events).hasSize(2);
	}

	@Test
	void lostEventsInterruptTheWatch() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "");
		Recorder recorder = new Recorder();
		backend.subscribe(recorder);
		backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
		// a change whose event never came, as when the subscriber reconnects
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.stringCommands().incr(utf8("{" + bucket + "}#revision"));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.resumed.get() == 2);
		assertThat(recorder.interrupted).hasValue(1);
		assertThat(recorder.calls).containsSubsequence("resumed", "event", "interrupted", "resumed");
	}

	@Test
	void anEventAfterLostOnesInterruptsTheWatchAtOnce() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "");
		Recorder recorder = new Recorder();
		backend.subscribe(recorder);
		backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
		// a change whose event never came, then one whose event comes
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.stringCommands().incr(utf8("{" + bucket + "}#revision"));
		}
		backend.write("j", draft("2", null, List.of()), WriteCondition.ALWAYS);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 2);
		assertThat(recorder.interrupted).hasValue(1);
		assertThat(recorder.calls).containsSubsequence("resumed", "event", "interrupted", "resumed", "event");
	}

	@Test
	void expiryByRedisIsAnExpiredEvent() {
		RedisKeyValueBackend backend = factory.create(bucket(), "ns");
		Recorder recorder = new Recorder();
		backend.subscribe(recorder);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			// the factory enabled expiry notifications, keeping what was set
			assertThat(connection.serverCommands()
				.getConfig("notify-keyspace-events")
				.getProperty("notify-keyspace-events")).contains("E").contains("x");
		}
		backend.write("short", draft("1", Instant.now().plusMillis(200), List.of()), WriteCondition.ALWAYS);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> recorder.events.stream().anyMatch((event) -> event.type() == KeyEvent.Type.EXPIRED));
		KeyEvent expired = recorder.events.get(recorder.events.size() - 1);
		assertThat(expired.key()).isEqualTo("short");
		// the revision after the last change seen: older cached entries drop, the next
		// write caches
		assertThat(expired.revision()).isGreaterThan(recorder.events.get(0).revision());
		assertThat(expired.metadata()).isNull();
	}

	@Test
	void plainSetByAnotherClientReadsAsBinary() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "");
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.stringCommands().set(utf8("{" + bucket + "}:raw"), new byte[] { 1, 2, 3 });
		}
		StoredEntry entry = backend.get("raw");
		assertThat(entry).isNotNull();
		assertThat(entry.value()).containsExactly(1, 2, 3);
		KeyMetadata metadata = entry.metadata();
		assertThat(metadata.version()).isEqualTo(1);
		assertThat(metadata.revision()).isZero();
		assertThat(metadata.format()).isEqualTo(KeyFormat.BINARY);
		assertThat(metadata.checksum()).isNull();
		assertThat(metadata.tags()).isEmpty();
		assertThat(metadata.expiresAt()).isNull();
		assertThat(metadata.createdAt()).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
		assertThat(backend.keys("")).containsExactly("raw");
		assertThat(backend.write("raw", draft("x", null, List.of()), WriteCondition.version(1))).isNotNull();
		assertThat(backend.get("raw").metadata().version()).isEqualTo(2);
	}

	@Test
	void writeAllAndGetAllCoverAThousandKeys() {
		RedisKeyValueBackend backend = factory.create(bucket(), "bulk");
		Map<String, EntryDraft> drafts = new LinkedHashMap<>();
		for (int i = 0; i < 1000; i++) {
			drafts.put("item:" + i,
					draft("{\"i\":" + i + "}", (i % 2 == 0) ? Instant.now().plusSeconds(60) : null, List.of("bulk")));
		}
		backend.writeAll(drafts);
		Map<String, KeyMetadata> written = backend.writeAll(drafts);
		assertThat(written).hasSize(1000);
		assertThat(written.keySet()).containsExactlyElementsOf(drafts.keySet());
		assertThat(written.values()).allSatisfy((metadata) -> assertThat(metadata.version()).isEqualTo(2));
		assertThat(written.get("item:7").revision()).isGreaterThan(written.get("item:6").revision());
		List<String> keys = new ArrayList<>(drafts.keySet());
		keys.add("missing");
		Map<String, StoredEntry> entries = backend.getAll(keys);
		assertThat(entries).hasSize(1000);
		assertThat(entries.keySet()).containsExactlyElementsOf(drafts.keySet());
		entries.forEach((key, entry) -> {
			assertThat(entry.metadata()).isEqualTo(written.get(key));
			assertThat(entry.value()).isEqualTo(drafts.get(key).value());
		});
		assertThat(backend.keys("item:")).hasSize(1000);
		KeyStoreStats stats = backend.stats();
		assertThat(stats.totalKeys()).isEqualTo(1000);
		assertThat(stats.keysWithTtl()).isEqualTo(500);
	}

	@Test
	void statsDescribeAndPing() {
		String bucket = bucket();
		RedisKeyValueBackend backend = factory.create(bucket, "app");
		backend.write("a", draft("1", null, List.of()), WriteCondition.ALWAYS);
		backend.write("b", draft("2", Instant.now().plusSeconds(60), List.of()), WriteCondition.ALWAYS);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.stringCommands().set(utf8("{" + bucket + "}:app:raw-ttl"), utf8("x"));
			connection.keyCommands().pExpire(utf8("{" + bucket + "}:app:raw-ttl"), 60_000);
		}
		KeyStoreStats stats = backend.stats();
		assertThat(stats.backend()).isEqualTo("redis");
		assertThat(stats.totalKeys()).isEqualTo(3);
		assertThat(stats.keysWithTtl()).isEqualTo(2);
		assertThat(stats.details()).containsEntry("bucket", bucket)
			.containsEntry("namespace", "app")
			.containsKey("redisVersion")
			.containsKey("usedMemory");
		assertThat(backend.describe()).containsEntry("backend", "redis")
			.containsEntry("bucket", bucket)
			.containsEntry("connected", true)
			.containsKey("redisVersion");
		assertThat(backend.ping()).isPositive();
		assertThat(backend.name()).isEqualTo("redis");
	}

	@Test
	void failuresNameTheKeyAndBucket() {
		LettuceConnectionFactory unreachable = connectionFactory(ServerProcess.findFreePort());
		RedisKeyValueBackendFactory deadFactory = new RedisKeyValueBackendFactory(unreachable);
		try {
			RedisKeyValueBackend backend = deadFactory.create("nowhere", "");
			assertThatExceptionOfType(KeyStoreException.class).isThrownBy(() -> backend.get("user:1"))
				.withMessageStartingWith("Cannot read key 'user:1' from Redis bucket 'nowhere': ");
			assertThatExceptionOfType(KeyStoreException.class)
				.isThrownBy(() -> backend.write("user:1", draft("1", null, List.of()), WriteCondition.ALWAYS))
				.withMessageStartingWith("Cannot store key 'user:1' in Redis bucket 'nowhere': ");
			assertThatExceptionOfType(KeyStoreException.class).isThrownBy(backend::ping)
				.withMessageContaining("Redis bucket 'nowhere'");
			assertThat(backend.describe()).containsEntry("connected", false);
		}
		finally {
			deadFactory.destroy();
			destroy(unreachable);
		}
	}

	@Test
	void watchIsInterruptedWhileRedisIsDown() {
		RedisServerProcess own = RedisServerProcess.startDefault();
		LettuceConnectionFactory ownConnections = connectionFactory(own.port());
		RedisKeyValueBackendFactory ownFactory = new RedisKeyValueBackendFactory(ownConnections,
				Duration.ofMillis(100));
		try {
			RedisKeyValueBackend backend = ownFactory.create(bucket(), "");
			Recorder recorder = new Recorder();
			backend.subscribe(recorder);
			assertThat(recorder.resumed).hasValue(1);
			own.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.interrupted.get() == 1);
			own.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> recorder.resumed.get() == 2);
			backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 1);
		}
		finally {
			ownFactory.destroy();
			destroy(ownConnections);
			own.close();
		}
	}

	@Test
	void eventsArriveInRevisionOrder() {
		String bucket = bucket();
		RedisKeyValueBackend writer = factory.create(bucket, "");
		Recorder recorder = new Recorder();
		otherFactory.create(bucket, "").subscribe(recorder);
		Map<String, EntryDraft> drafts = new LinkedHashMap<>();
		for (int i = 0; i < 100; i++) {
			drafts.put("bulk:" + i, draft("1", null, List.of()));
		}
		writer.writeAll(drafts);
		for (int i = 0; i < 100; i++) {
			writer.write("single:" + (i % 10), draft("1", null, List.of()), WriteCondition.ALWAYS);
			writer.delete("bulk:" + i, WriteCondition.PRESENT);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 300);
		List<Long> revisions = recorder.events.stream().map(KeyEvent::revision).toList();
		assertThat(revisions).isSorted().doesNotHaveDuplicates();
		assertThat(recorder.events.subList(0, 100)).extracting(KeyEvent::key)
			.containsExactlyElementsOf(drafts.keySet());
	}

	@Test
	void scriptsAreLoadedAgainAfterAFlush() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}
		assertThat(text(backend.get("k").value())).isEqualTo("1");
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}
		assertThat(backend.write("k", draft("2", null, List.of()), WriteCondition.version(1)).version()).isEqualTo(2);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}
		assertThat(backend.delete("k", WriteCondition.PRESENT)).isTrue();
	}

	@Test
	void scriptsRunByTheirSha1OnceTheServerKnowsThem() {
		RedisKeyValueBackend backend = factory.create(bucket(), "");
		// the first calls load the scripts when the server does not know them yet
		backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
		backend.get("k");
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.serverCommands().resetConfigStats();
			for (int i = 0; i < 3; i++) {
				assertThat(text(backend.get("k").value())).isEqualTo("1");
			}
			Properties stats = connection.serverCommands().info("commandstats");
			assertThat(stats.getProperty("cmdstat_evalsha")).startsWith("calls=3,").contains("failed_calls=0");
			assertThat(stats.getProperty("cmdstat_eval")).isNull();
		}
	}

	@Test
	void watchRunsWhenTheServerRefusesConfig() {
		RedisServerProcess locked = RedisServerProcess.start(0, "--rename-command", "CONFIG", "");
		LettuceConnectionFactory lockedConnections = connectionFactory(locked.port());
		RedisKeyValueBackendFactory lockedFactory = new RedisKeyValueBackendFactory(lockedConnections,
				Duration.ofMillis(100));
		try {
			RedisKeyValueBackend backend = lockedFactory.create(bucket(), "");
			Recorder recorder = new Recorder();
			backend.subscribe(recorder);
			assertThat(recorder.resumed).hasValue(1);
			backend.write("k", draft("1", null, List.of()), WriteCondition.ALWAYS);
			await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
			assertThat(recorder.interrupted).hasValue(0);
		}
		finally {
			lockedFactory.destroy();
			destroy(lockedConnections);
			locked.close();
		}
	}

	private static String bucket() {
		return "ks-" + buckets.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
	}

	private static EntryDraft draft(String json, @Nullable Instant expiresAt, List<String> tags) {
		byte[] bytes = utf8(json);
		return new EntryDraft(bytes, KeyFormat.JSON, null, tags, KeyValueSerializer.checksum(bytes), Instant.now(),
				expiresAt);
	}

	private static LettuceConnectionFactory connectionFactory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static void destroy(@Nullable LettuceConnectionFactory factory) {
		if (factory != null) {
			factory.destroy();
		}
	}

	private static void close(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Records what a backend tells.
	 */
	static final class Recorder implements KeyValueBackend.Listener {

		final List<KeyEvent> events = new CopyOnWriteArrayList<>();

		final List<String> calls = new CopyOnWriteArrayList<>();

		final AtomicInteger clears = new AtomicInteger();

		final AtomicInteger resumed = new AtomicInteger();

		final AtomicInteger interrupted = new AtomicInteger();

		@Override
		public void onEvent(KeyEvent event) {
			this.events.add(event);
			this.calls.add("event");
		}

		@Override
		public void onCacheClear() {
			this.clears.incrementAndGet();
			this.calls.add("clear");
		}

		@Override
		public void onWatchResumed() {
			this.resumed.incrementAndGet();
			this.calls.add("resumed");
		}

		@Override
		public void onWatchInterrupted() {
			this.interrupted.incrementAndGet();
			this.calls.add("interrupted");
		}

	}

}
