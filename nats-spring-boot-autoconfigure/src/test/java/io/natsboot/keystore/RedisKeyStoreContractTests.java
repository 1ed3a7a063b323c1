package io.natsboot.keystore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import io.natsboot.test.RedisServerProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The key store contract on Redis, each instance with its own Lettuce connection factory to one
 * real redis-server; plain reads and writes go through a plain Redis template.
 */
class RedisKeyStoreContractTests extends KeyStoreContractTests {

	private static RedisServerProcess server;

	private static LettuceConnectionFactory plainConnections;

	private static StringRedisTemplate plainClient;

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private final List<RedisKeyValueBackendFactory> factories = new ArrayList<>();

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.startDefault();
		plainConnections = connectionFactory();
		plainClient = new StringRedisTemplate(plainConnections);
	}

	@AfterAll
	static void stopServer() {
		plainConnections.destroy();
		server.stop();
	}

	private static LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	protected KeyValueBackendFactory newInstanceFactory() {
		LettuceConnectionFactory connections = connectionFactory();
		this.connectionFactories.add(connections);
		RedisKeyValueBackendFactory factory = new RedisKeyValueBackendFactory(connections, Duration.ofMillis(200));
		this.factories.add(factory);
		return factory;
	}

	@Override
	protected void closeFactories() {
		this.factories.forEach(RedisKeyValueBackendFactory::destroy);
		this.factories.clear();
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
		this.connectionFactories.clear();
	}

	@Override
	protected boolean rawPut(String bucket, String namespace, String key, byte[] value) {
		plainClient.execute((connection) -> connection.stringCommands()
			.set(RedisSerializer.string().serialize("{" + bucket + "}:" + namespace + ":" + key), value), true);
		return true;
	}

	@Override
	protected byte @Nullable [] rawGet(String bucket, String namespace, String key) {
		return plainClient.execute((connection) -> connection.stringCommands()
			.get(RedisSerializer.string().serialize("{" + bucket + "}:" + namespace + ":" + key)), true);
	}

}
