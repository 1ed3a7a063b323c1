package io.natsboot.keystore;

import java.util.Set;

import io.natsboot.test.RedisSentinelProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;

/**
 * The key store contract under Redis Sentinel (one master, one sentinel, all real
 * processes), reached through a {@link RedisSentinelConfiguration} as a Boot application
 * gets it from {@code spring.data.redis.sentinel.*}.
 */
class RedisSentinelKeyStoreContractTests extends RedisBackedKeyStoreContractTests {

	private static RedisSentinelProcess sentinel;

	@BeforeAll
	static void startSentinel() {
		sentinel = RedisSentinelProcess.startDefault();
	}

	@AfterAll
	static void stopSentinel() {
		sentinel.close();
	}

	@Override
	protected RedisConfiguration redisConfiguration() {
		return new RedisSentinelConfiguration(sentinel.masterName(), Set.of(sentinel.node()));
	}

}
