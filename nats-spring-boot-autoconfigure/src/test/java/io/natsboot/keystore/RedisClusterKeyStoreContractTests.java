package io.natsboot.keystore;

import io.natsboot.test.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;

/**
 * The key store contract on a Redis Cluster of three real masters, reached through a
 * {@link RedisClusterConfiguration} as a Boot application gets it from
 * {@code spring.data.redis.cluster.nodes}.
 */
class RedisClusterKeyStoreContractTests extends RedisBackedKeyStoreContractTests {

	private static RedisClusterProcess cluster;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterProcess.startDefault();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Override
	protected RedisConfiguration redisConfiguration() {
		return new RedisClusterConfiguration(cluster.nodes());
	}

}
