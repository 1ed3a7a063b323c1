package io.natsboot.keystore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import io.natsboot.test.RedisClusterProcess;
import io.natsboot.test.RedisSentinelProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis key store through Spring Boot's own Redis configuration:
 * {@code spring.data.redis.cluster.*} and {@code spring.data.redis.sentinel.*} give a
 * {@link LettuceConnectionFactory} the backend uses as it is; two application contexts
 * share entries and keep their caches coherent.
 */
class RedisTopologyKeyStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, NatsAutoConfiguration.class,
				NatsKeyStoreAutoConfiguration.class))
		// the key store needs no NATS connection on Redis
		.withPropertyValues("nats.servers=nats://127.0.0.1:1", "nats.startup=wait", "nats.keystore.backend=redis",
				"nats.namespace=shop");

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnACluster {

		private RedisClusterProcess cluster;

		@BeforeAll
		void startCluster() {
			this.cluster = RedisClusterProcess.startDefault();
		}

		@AfterAll
		void stopCluster() {
			this.cluster.close();
		}

		@Test
		void twoApplicationsShareEntriesOfSeveralBuckets() {
			ApplicationContextRunner runner = RedisTopologyKeyStoreAutoConfigurationTests.this.contextRunner
				.withPropertyValues("spring.data.redis.cluster.nodes=" + String.join(",", this.cluster.nodes()),
						"nats.keystore.bucket=ks-cluster");
			runner.run((first) -> runner.run((second) -> {
				assertThat(first).hasSingleBean(RedisKeyValueBackendFactory.class);
				assertThat(first.getBean(LettuceConnectionFactory.class).isClusterAware()).isTrue();
				shareEntries(first.getBean(KeyStoreOperations.class), second.getBean(KeyStoreOperations.class));
			}));
		}

	}

	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class UnderSentinel {

		private RedisSentinelProcess sentinel;

		@BeforeAll
		void startSentinel() {
			this.sentinel = RedisSentinelProcess.startDefault();
		}

		@AfterAll
		void stopSentinel() {
			this.sentinel.close();
		}

		@Test
		void twoApplicationsShareEntriesOfSeveralBuckets() {
			ApplicationContextRunner runner = RedisTopologyKeyStoreAutoConfigurationTests.this.contextRunner
				.withPropertyValues("spring.data.redis.sentinel.master=" + this.sentinel.masterName(),
						"spring.data.redis.sentinel.nodes=" + this.sentinel.node(), "nats.keystore.bucket=ks-sentinel");
			runner.run((first) -> runner.run((second) -> {
				assertThat(first).hasSingleBean(RedisKeyValueBackendFactory.class);
				assertThat(first.getBean(LettuceConnectionFactory.class).isRedisSentinelAware()).isTrue();
				shareEntries(first.getBean(KeyStoreOperations.class), second.getBean(KeyStoreOperations.class));
			}));
		}

	}

	private static void shareEntries(KeyStoreOperations first, KeyStoreOperations second) {
		first.store("feature:flags", Map.of("beta", true));
		assertThat(second.retrieve("feature:flags")).isEqualTo(Map.of("beta", true));
		// the second instance caches the entry; the first's change reaches it through the
		// watch
		first.store("feature:flags", Map.of("beta", false));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(second.retrieve("feature:flags")).isEqualTo(Map.of("beta", false)));
		first.store("session:1", "s", StoreOptions.ttl(Duration.ofMinutes(1)));
		assertThat(second.listKeys("*")).containsExactlyInAnyOrder("feature:flags", "session:1");
		assertThat(second.stats().keysWithTtl()).isEqualTo(1);
		// another bucket, another slot on a cluster
		for (String bucket : List.of("ks-orders", "ks-carts")) {
			first.forBucket(bucket).store("item:{1}", bucket);
			assertThat(second.forBucket(bucket).retrieve("item:{1}", String.class)).isEqualTo(bucket);
		}
		assertThat(second.delete("session:1")).isTrue();
		// the first instance may serve its cached entry until the delete event arrives
		await().atMost(Duration.ofSeconds(10)).until(() -> !first.exists("session:1"));
	}

}
