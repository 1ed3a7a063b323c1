package io.natsboot.keystore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.natsboot.keystore.EntryDraft;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyValueSerializer;
import io.natsboot.keystore.WriteCondition;
import io.natsboot.test.RedisClusterProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisKeyValueBackend} on a Redis Cluster of three real masters: the hash tag
 * keeps a bucket in one slot whatever the user's keys hold, listing runs on the master of
 * that slot, and expiry notifications are heard from every master.
 */
class RedisClusterKeyValueBackendTests {

	private static RedisClusterProcess cluster;

	private static LettuceConnectionFactory connectionFactory;

	private static RedisKeyValueBackendFactory factory;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterProcess.startDefault();
		connectionFactory = new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.nodes()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		factory = new RedisKeyValueBackendFactory(connectionFactory, Duration.ofMillis(100));
	}

	@AfterAll
	static void stopCluster() {
		if (factory != null) {
			factory.destroy();
		}
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void bracesInUserKeysNeverMoveAKeyOutOfItsBucketsSlot() {
		String bucket = "ks-" + UUID.randomUUID().toString().substring(0, 8);
		RedisKeyValueBackend backend = factory.create(bucket, "ns");
		List<String> keys = List.of("{user}:1", "}{", "{}", "a{b}c", "{" + bucket + "}", "x}:{y");
		Map<String, EntryDraft> drafts = new LinkedHashMap<>();
		keys.forEach((key) -> drafts.put(key, draft("\"" + key.length() + "\"", null)));
		// one script call with every key: it would fail with CROSSSLOT if any left the
		// slot
		assertThat(backend.writeAll(drafts)).containsOnlyKeys(keys);
		assertThat(backend.getAll(keys)).containsOnlyKeys(keys);
		assertThat(backend.keys("")).containsExactlyInAnyOrderElementsOf(keys);
		try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
			int slot = connection.clusterGetSlotForKey(utf8(bucket));
			for (String key : keys) {
				assertThat(connection.clusterGetSlotForKey(utf8("{" + bucket + "}:ns:" + key))).as(key).isEqualTo(slot);
				assertThat(connection.clusterGetSlotForKey(utf8("{" + bucket + "}#meta:ns:" + key))).as(key)
					.isEqualTo(slot);
			}
			assertThat(connection.clusterGetSlotForKey(utf8("{" + bucket + "}#revision"))).isEqualTo(slot);
		}
		assertThat(backend.delete("}{", WriteCondition.ALWAYS)).isTrue();
		assertThat(backend.get("}{")).isNull();
	}

	@Test
	void everyMasterTellsTheExpiryOfItsBuckets() {
		List<String> buckets = bucketsOnEveryMaster();
		List<RedisKeyValueBackendTests.Recorder> recorders = new ArrayList<>();
		for (String bucket : buckets) {
			RedisKeyValueBackend backend = factory.create(bucket, "");
			RedisKeyValueBackendTests.Recorder recorder = new RedisKeyValueBackendTests.Recorder();
			backend.subscribe(recorder);
			recorders.add(recorder);
			backend.write("session", draft("1", Instant.now().plusMillis(300)), WriteCondition.ALWAYS);
		}
		try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
			for (RedisClusterNode node : connection.clusterGetNodes()) {
				assertThat(connection.serverCommands().getConfig(node, "notify-keyspace-events").toString())
					.as(node.asString())
					.contains("E")
					.contains("x");
			}
		}
		for (RedisKeyValueBackendTests.Recorder recorder : recorders) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> recorder.events.stream()
					.anyMatch((event) -> event.type() == KeyEvent.Type.EXPIRED && event.key().equals("session")));
		}
	}

	@Test
	void statsAndDescribeComeFromTheMasterOfTheBucket() {
		RedisKeyValueBackend backend = factory.create("ks-" + UUID.randomUUID().toString().substring(0, 8), "");
		backend.write("a", draft("1", null), WriteCondition.ALWAYS);
		backend.write("b", draft("2", Instant.now().plusSeconds(60)), WriteCondition.ALWAYS);
		KeyStoreStats stats = backend.stats();
		assertThat(stats.totalKeys()).isEqualTo(2);
		assertThat(stats.keysWithTtl()).isEqualTo(1);
		assertThat(stats.details()).containsKey("redisVersion");
		assertThat(backend.describe()).containsEntry("connected", true).containsKey("redisVersion");
		assertThat(backend.ping().isNegative()).isFalse();
	}

	/**
	 * Bucket names whose slots lie on different masters, one per master.
	 */
	private static List<String> bucketsOnEveryMaster() {
		Map<String, String> byMaster = new LinkedHashMap<>();
		try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
			for (int i = 0; byMaster.size() < cluster.nodes().size(); i++) {
				String bucket = "ks-exp-" + UUID.randomUUID().toString().substring(0, 6) + i;
				RedisClusterNode node = connection.clusterGetNodeForKey(utf8("{" + bucket + "}"));
				byMaster.putIfAbsent(node.asString(), bucket);
			}
		}
		return new ArrayList<>(byMaster.values());
	}

	private static EntryDraft draft(String json, @Nullable Instant expiresAt) {
		byte[] bytes = utf8(json);
		return new EntryDraft(bytes, KeyFormat.JSON, null, List.of(), KeyValueSerializer.checksum(bytes), Instant.now(),
				expiresAt);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
