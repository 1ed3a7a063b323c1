package io.natsboot.keystore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The key store contract on one Redis topology (a server, a cluster, a sentinel): each
 * instance gets its own Lettuce connection factory built from the topology's
 * configuration, as a Boot application builds it from {@code spring.data.redis.*}; plain
 * reads and writes go through a plain Redis template on another one.
 */
abstract class RedisBackedKeyStoreContractTests extends KeyStoreContractTests {

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private final List<RedisKeyValueBackendFactory> factories = new ArrayList<>();

	private @Nullable StringRedisTemplate plainClient;

	/**
	 * How to reach the topology under test.
	 * @return the Spring Data Redis configuration
	 */
	protected abstract RedisConfiguration redisConfiguration();

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(redisConfiguration());
		factory.afterPropertiesSet();
		factory.start();
		this.connectionFactories.add(factory);
		return factory;
	}

	@Override
	protected KeyValueBackendFactory newInstanceFactory() {
		RedisKeyValueBackendFactory factory = new RedisKeyValueBackendFactory(connectionFactory(),
				Duration.ofMillis(200));
		this.factories.add(factory);
		return factory;
	}

	@Override
	protected void closeFactories() {
		this.factories.forEach(RedisKeyValueBackendFactory::destroy);
		this.factories.clear();
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
		this.connectionFactories.clear();
		this.plainClient = null;
	}

	private StringRedisTemplate plainClient() {
		StringRedisTemplate client = this.plainClient;
		if (client == null) {
			client = new StringRedisTemplate(connectionFactory());
			this.plainClient = client;
		}
		return client;
	}

	@Override
	protected boolean rawPut(String bucket, String namespace, String key, byte[] value) {
		plainClient()
			.execute(
					(connection) -> connection.stringCommands()
						.set(RedisSerializer.string().serialize("{" + bucket + "}:" + namespace + ":" + key), value),
					true);
		return true;
	}

	@Override
	protected byte @Nullable [] rawGet(String bucket, String namespace, String key) {
		return plainClient().execute((connection) -> connection.stringCommands()
			.get(RedisSerializer.string().serialize("{" + bucket + "}:" + namespace + ":" + key)), true);
	}

}
