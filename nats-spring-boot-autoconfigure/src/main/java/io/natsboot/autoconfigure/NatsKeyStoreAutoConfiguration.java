package io.natsboot.autoconfigure;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;
import io.natsboot.actuate.KeyStoreMeterBinder;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import io.natsboot.keystore.KeyNames;
import io.natsboot.keystore.KeyStoreMetrics;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.keystore.KeyStoreSettings;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.KeyValueBackendFactory;
import io.natsboot.keystore.KeyValueSerializer;
import io.natsboot.keystore.memory.MemoryKeyValueStore;
import io.natsboot.keystore.nats.NatsBucketSettings;
import io.natsboot.keystore.nats.NatsKeyValueBackendFactory;
import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import io.natsboot.keystore.springcache.KeyStoreCacheManager;
import io.natsboot.observation.KeyStoreObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the key store: a {@link KeyStoreTemplate} on the backend chosen
 * by {@code nats.keystore.backend} (a NATS KV bucket created or updated on every connect,
 * the application's Redis, or memory), configured by {@code nats.keystore.*}; and, with
 * {@code nats.keystore.cache-manager.enabled}, a {@link CacheManager} backed by it that
 * runs before Spring Boot's own cache auto-configuration.
 */
@AutoConfiguration(after = NatsAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(name = "com.github.benmanes.caffeine.cache.Caffeine")
@ConditionalOnBooleanProperty(name = { "nats.enabled", "nats.keystore.enabled" }, matchIfMissing = true)
@EnableConfigurationProperties(NatsProperties.class)
public final class NatsKeyStoreAutoConfiguration {

	private static final String BACKEND = "nats.keystore.backend";

	@Bean
	@ConditionalOnMissingBean
	KeyStoreSettings keyStoreSettings(NatsProperties properties) {
		NatsProperties.Keystore keystore = properties.getKeystore();
		if (!KeyNames.isValidBucket(keystore.getBucket())) {
			throw new InvalidConfigurationPropertyValueException("nats.keystore.bucket", keystore.getBucket(),
					"Use letters, digits, '-' and '_' only");
		}
		String namespace = (keystore.getNamespace() != null) ? keystore.getNamespace().trim()
				: properties.getNamespace();
		if (!namespace.isEmpty()) {
			try {
				new NatsSubjectResolver(namespace);
			}
			catch (RuntimeException ex) {
				throw new InvalidConfigurationPropertyValueException("nats.keystore.namespace", namespace,
						"Use dot-separated tokens of letters, digits, '-' and '_', e.g. myapp");
			}
		}
		Duration defaultTtl = keystore.getDefaultTtl();
		if (defaultTtl != null) {
			NatsOptionsFactory.positive("nats.keystore.default-ttl", defaultTtl);
		}
		NatsProperties.Keystore.Cache cache = keystore.getCache();
		if (cache.getMaxSize() < 0) {
			throw new InvalidConfigurationPropertyValueException("nats.keystore.cache.max-size", cache.getMaxSize(),
					"Use 0 or more");
		}
		if (cache.getTtl() != null) {
			NatsOptionsFactory.positive("nats.keystore.cache.ttl", cache.getTtl());
		}
		return new KeyStoreSettings(keystore.getBucket(), namespace, keystore.getFormat(), defaultTtl,
				cache.isEnabled(), cache.getMaxSize(), cache.getTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	KeyValueSerializer keyValueSerializer(NatsProperties properties, ConfigurableListableBeanFactory beanFactory) {
		return new KeyValueSerializer(NatsJsonCodecs.select(beanFactory, beanFactory.getBeanClassLoader()),
				properties.getKeystore().getTyped().getAllowedPackages(), beanFactory.getBeanClassLoader());
	}

	@Bean
	@ConditionalOnMissingBean(KeyStoreOperations.class)
	KeyStoreTemplate keyStoreTemplate(ObjectProvider<KeyValueBackendFactory> backendFactory,
			KeyValueSerializer serializer, KeyStoreSettings settings, ObjectProvider<KeyStoreMetrics> metrics,
			NatsProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<KeyStoreObservationConvention> observationConvention) {
		KeyValueBackendFactory factory = backendFactory.getIfUnique();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException(BACKEND, properties.getKeystore().getBackend(),
					missingBackend(properties.getKeystore().getBackend()));
		}
		KeyStoreTemplate template = new KeyStoreTemplate(factory.create(settings.bucket(), settings.namespace()),
				serializer, settings, metrics.getIfUnique(() -> KeyStoreMetrics.NONE), factory);
		template.setObservations(NatsObservationSupport.settings(properties.getObservation().isKeyStore(),
				observationRegistry, observationConvention));
		return template;
	}

	private static String missingBackend(NatsProperties.Keystore.Backend backend) {
		return switch (backend) {
			case NATS ->
				"The nats backend needs NATS (nats.enabled=true and a NatsTemplate); or choose redis or memory";
			case REDIS -> "The redis backend needs Spring Data Redis and a RedisConnectionFactory bean: add "
					+ "spring-boot-starter-data-redis and set spring.data.redis.*; or choose nats or memory";
			case MEMORY -> "The memory backend could not be created";
		};
	}

	@Bean
	@ConditionalOnBooleanProperty("nats.keystore.cache-manager.enabled")
	@ConditionalOnClass(CacheManager.class)
	@ConditionalOnMissingBean(CacheManager.class)
	KeyStoreCacheManager cacheManager(KeyStoreOperations keyStore, NatsProperties properties) {
		NatsProperties.Keystore.CacheManager cacheManager = properties.getKeystore().getCacheManager();
		cacheManager.getTimeToLive()
			.forEach((name, ttl) -> NatsOptionsFactory.positive("nats.keystore.cache-manager.time-to-live." + name,
					ttl));
		return new KeyStoreCacheManager(keyStore, cacheManager.getTimeToLive(), cacheManager.isAllowNullValues());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = BACKEND, havingValue = "nats", matchIfMissing = true)
	@ConditionalOnBean(NatsTemplate.class)
	static class NatsBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean(KeyValueBackendFactory.class)
		NatsKeyValueBackendFactory natsKeyValueBackendFactory(NatsTemplate natsTemplate, NatsProperties properties) {
			NatsProperties.Keystore keystore = properties.getKeystore();
			if (keystore.getHistory() < 1 || keystore.getHistory() > 64) {
				throw new InvalidConfigurationPropertyValueException("nats.keystore.history", keystore.getHistory(),
						"Use 1 to 64");
			}
			return new NatsKeyValueBackendFactory(natsTemplate.getConnection(), natsTemplate.getJetStreamOptions(),
					new NatsBucketSettings(keystore.getHistory(),
							NatsOptionsFactory.replicas("nats.keystore.replicas", keystore.getReplicas(),
									properties.getJetstream()),
							keystore.getStorage(), maxValueSize(keystore), sweepInterval(keystore),
							NatsOptionsFactory.positive("nats.jetstream.api-timeout",
									properties.getJetstream().getApiTimeout()),
							NatsOptionsFactory.failoverTimeout(properties.getJetstream())),
					natsTemplate.getExceptionTranslator());
		}

		private static int maxValueSize(NatsProperties.Keystore keystore) {
			if (keystore.getMaxValueSize() == null) {
				return -1;
			}
			long bytes = keystore.getMaxValueSize().toBytes();
			if (bytes < 1 || bytes > Integer.MAX_VALUE) {
				throw new InvalidConfigurationPropertyValueException("nats.keystore.max-value-size",
						keystore.getMaxValueSize(), "Use 1B to 2GB, or leave it unset for the server's limit");
			}
			return (int) bytes;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = BACKEND, havingValue = "redis")
	@ConditionalOnClass(RedisConnectionFactory.class)
	static class RedisBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean(KeyValueBackendFactory.class)
		@ConditionalOnBean(RedisConnectionFactory.class)
		RedisKeyValueBackendFactory redisKeyValueBackendFactory(RedisConnectionFactory connectionFactory,
				NatsProperties properties) {
			return new RedisKeyValueBackendFactory(connectionFactory, sweepInterval(properties.getKeystore()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = BACKEND, havingValue = "memory")
	static class MemoryBackendConfiguration {

		@Bean
		@ConditionalOnMissingBean(KeyValueBackendFactory.class)
		MemoryKeyValueStore memoryKeyValueStore(NatsProperties properties) {
			return new MemoryKeyValueStore(sweepInterval(properties.getKeystore()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class KeyStoreMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		KeyStoreMeterBinder keyStoreMeterBinder(KeyStoreOperations keyStore) {
			return new KeyStoreMeterBinder(keyStore);
		}

	}

	static Duration sweepInterval(NatsProperties.Keystore keystore) {
		return NatsOptionsFactory.positive("nats.keystore.sweep-interval", keystore.getSweepInterval());
	}

}
