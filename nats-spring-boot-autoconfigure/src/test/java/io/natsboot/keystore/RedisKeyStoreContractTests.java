package io.natsboot.keystore;

import io.natsboot.test.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * The key store contract on one real redis-server.
 */
class RedisKeyStoreContractTests extends RedisBackedKeyStoreContractTests {

	private static RedisServerProcess server;

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.startDefault();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Override
	protected RedisConfiguration redisConfiguration() {
		return new RedisStandaloneConfiguration(server.host(), server.port());
	}

}
