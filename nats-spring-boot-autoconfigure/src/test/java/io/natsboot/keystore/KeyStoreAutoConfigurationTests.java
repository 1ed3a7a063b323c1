package io.natsboot.keystore;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;
import io.natsboot.actuate.KeyStoreMeterBinder;
import io.natsboot.actuate.NatsEndpoint;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsEndpointAutoConfiguration;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.autoconfigure.NatsMetricsAutoConfiguration;
import io.natsboot.keystore.fixtures.Profile;
import io.natsboot.keystore.memory.MemoryKeyValueStore;
import io.natsboot.keystore.nats.NatsKeyValueBackendFactory;
import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import io.natsboot.keystore.springcache.KeyStoreCacheManager;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.RedisServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the key store's auto-configuration creates for each backend, how it fails on bad
 * configuration, and the cache, {@code CacheManager}, metrics and endpoint across two
 * application contexts on real servers.
 */
@WithNatsServer
class KeyStoreAutoConfigurationTests {

	static String url;

	private static RedisServerProcess redis;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class, NatsAutoConfiguration.class,
				NatsKeyStoreAutoConfiguration.class, NatsEndpointAutoConfiguration.class, CacheAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=shop",
				"nats.keystore.typed.allowed-packages=io.natsboot.keystore.fixtures",
				"management.endpoints.web.exposure.include=nats");

	@BeforeAll
	static void servers(NatsServerProcess server) {
		url = server.url();
		redis = RedisServerProcess.startDefault();
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@Test
	void natsIsTheDefaultBackendAndTheBucketIsCreatedFromProperties() {
		this.contextRunner
			.withPropertyValues("nats.keystore.bucket=ks-props", "nats.keystore.history=3",
					"nats.keystore.storage=memory", "nats.keystore.max-value-size=64KB")
			.run((context) -> {
				assertThat(context).hasSingleBean(NatsKeyValueBackendFactory.class)
					.hasSingleBean(KeyStoreTemplate.class);
				KeyStoreTemplate keyStore = context.getBean(KeyStoreTemplate.class);
				assertThat(keyStore.namespace()).isEqualTo("shop");
				keyStore.store("user:1", new Profile("Ann", 5));
				try (Connection plain = Nats.connect(url)) {
					KeyValueStatus status = plain.keyValueManagement().getStatus("ks-props");
					assertThat(status.getMaxHistoryPerKey()).isEqualTo(3);
					assertThat(status.getStorageType()).isEqualTo(StorageType.Memory);
					assertThat(status.getMaximumValueSize()).isEqualTo(64 * 1024);
					assertThat(plain.keyValue("ks-props").get("shop.user=3A1").getValueAsString())
						.isEqualTo("{\"name\":\"Ann\",\"age\":5}");
				}
			});
	}

	@Test
	void twoApplicationsShareEntriesAndKeepTheirCachesCoherent() {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("nats.keystore.bucket=ks-two");
		runner.run((first) -> runner.run((second) -> {
			KeyStoreOperations a = first.getBean(KeyStoreOperations.class);
			KeyStoreOperations b = second.getBean(KeyStoreOperations.class);
			a.store("feature:flags", Map.of("beta", true));
			assertThat(b.retrieve("feature:flags")).isEqualTo(Map.of("beta", true));
			assertThat(b.retrieve("feature:flags")).isEqualTo(Map.of("beta", true));
			assertThat(b.cacheStats().hits()).isPositive();
			a.update("feature:flags", Map.of("beta", false));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Map.of("beta", false).equals(b.retrieve("feature:flags")));
		}));
	}

	@Test
	void cacheManagerSharesCacheableResultsBetweenApplications() {
		ApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("nats.keystore.bucket=ks-cache", "nats.keystore.cache-manager.enabled=true",
					"nats.keystore.cache-manager.time-to-live.profiles=10m")
			.withUserConfiguration(CachingConfiguration.class);
		runner.run((first) -> runner.run((second) -> {
			assertThat(first).getBean(CacheManager.class).isInstanceOf(KeyStoreCacheManager.class);
			ProfileService one = first.getBean(ProfileService.class);
			ProfileService two = second.getBean(ProfileService.class);
			assertThat(one.find("ann")).isEqualTo(new Profile("ann", 1));
			assertThat(two.find("ann")).isEqualTo(new Profile("ann", 1));
			assertThat(one.calls() + two.calls()).isEqualTo(1);
			assertThat(two.find(null)).isNull();
			assertThat(one.find(null)).isNull();
			assertThat(one.calls() + two.calls()).isEqualTo(2);
			KeyMetadata cached = first.getBean(KeyStoreOperations.class).getMetadata("profiles::ann");
			assertThat(cached.format()).isEqualTo(KeyFormat.TYPED_JSON);
			assertThat(cached.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(590));
			first.getBean(CacheManager.class).getCache("profiles").evict("ann");
			// the other application's local cache drops the entry when its watch sees the
			// delete
			await().atMost(Duration.ofSeconds(5))
				.until(() -> second.getBean(CacheManager.class).getCache("profiles").get("ann") == null);
			assertThat(two.find("ann")).isEqualTo(new Profile("ann", 1));
			assertThat(one.calls() + two.calls()).isEqualTo(3);
			first.getBean(CacheManager.class).getCache("profiles").clear();
			assertThat(first.getBean(KeyStoreOperations.class).listKeys("profiles::*")).isEmpty();
		}));
	}

	@Test
	void metricsAndTheEndpointDescribeTheKeyStore() {
		this.contextRunner.withPropertyValues("nats.keystore.bucket=ks-obs")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
				keyStore.store("k", "v");
				keyStore.retrieve("k");
				keyStore.retrieve("k", String.class, false);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// Boot's metrics auto-configuration binds MeterBinder beans; here the
				// test does
				context.getBean(KeyStoreMeterBinder.class).bindTo(registry);
				assertThat(registry.get("nats.keystore.operations").tag("operation", "store").timer().count())
					.isEqualTo(1);
				assertThat(registry.get("nats.keystore.cache.hits").tag("bucket", "ks-obs").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("nats.keystore.cache.hit.ratio").gauge().value()).isBetween(0.0, 1.0);
				Map<String, Object> answer = context.getBean(NatsEndpoint.class).describe();
				@SuppressWarnings("unchecked")
				Map<String, Object> section = (Map<String, Object>) answer.get("keystore");
				assertThat(section).containsEntry("backend", "nats")
					.containsEntry("bucket", "ks-obs")
					.containsEntry("namespace", "shop")
					.containsEntry("watching", true)
					.containsKey("entries")
					.containsKey("cache");
			});
	}

	@Test
	void redisBackendUsesTheApplicationsRedisConnectionFactory() {
		this.contextRunner
			.withBean(LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port())))
			.withPropertyValues("nats.keystore.backend=redis")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisKeyValueBackendFactory.class)
					.doesNotHaveBean(NatsKeyValueBackendFactory.class);
				KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
				keyStore.store("session:1", "s", StoreOptions.ttl(Duration.ofMinutes(1)));
				assertThat(keyStore.retrieve("session:1")).isEqualTo("s");
				assertThat(keyStore.stats().backend()).isEqualTo("redis");
				assertThat(keyStore.stats().keysWithTtl()).isEqualTo(1);
			});
	}

	@Test
	void redisBackendWithoutRedisFailsStartupSayingWhatIsMissing() {
		this.contextRunner.withPropertyValues("nats.keystore.backend=redis")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("nats.keystore.backend")
				.hasStackTraceContaining("RedisConnectionFactory"));
		this.contextRunner.withPropertyValues("nats.keystore.backend=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("spring-boot-starter-data-redis"));
	}

	@Test
	void memoryBackendNeedsNoServer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class))
			.withPropertyValues("nats.servers=nats://127.0.0.1:1", "nats.startup=wait", "nats.keystore.backend=memory",
					"nats.keystore.default-ttl=1h")
			.run((context) -> {
				assertThat(context).hasSingleBean(MemoryKeyValueStore.class);
				KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
				assertThat(keyStore.store("k", 1).expiresAt()).isAfter(java.time.Instant.now().plusSeconds(3590));
				assertThat(keyStore.ping()).isTrue();
			});
	}

	@Test
	void userKeyStoreWinsAndTheKeyStoreCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("nats.keystore.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KeyStoreOperations.class));
		MemoryKeyValueStore store = new MemoryKeyValueStore();
		KeyStoreTemplate own = new KeyStoreTemplate(store.create("own", ""),
				new KeyValueSerializer(null, java.util.List.of(), null), KeyStoreSettings.defaults("own", ""),
				KeyStoreMetrics.NONE, store);
		this.contextRunner.withBean(KeyStoreOperations.class, () -> own)
			.run((context) -> assertThat(context.getBean(KeyStoreOperations.class)).isSameAs(own));
		store.destroy();
	}

	@Test
	void badValuesFailStartupNamingTheProperty() {
		assertInvalid("nats.keystore.bucket=a.b", "nats.keystore.bucket");
		assertInvalid("nats.keystore.default-ttl=-1s", "nats.keystore.default-ttl");
		assertInvalid("nats.keystore.history=65", "nats.keystore.history");
		assertInvalid("nats.keystore.cache.max-size=-1", "nats.keystore.cache.max-size");
		assertInvalid("nats.keystore.sweep-interval=0s", "nats.keystore.sweep-interval");
		assertInvalid("nats.keystore.namespace=a..b", "nats.keystore.namespace");
		this.contextRunner.withPropertyValues("nats.keystore.backend=mongo")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("nats.keystore.backend"));
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("Property " + name));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		ProfileService profileService() {
			return new ProfileService();
		}

	}

	static class ProfileService {

		private final AtomicInteger calls = new AtomicInteger();

		public int calls() {
			return this.calls.get();
		}

		@Cacheable("profiles")
		public Profile find(String name) {
			this.calls.incrementAndGet();
			return (name != null) ? new Profile(name, 1) : null;
		}

	}

}
