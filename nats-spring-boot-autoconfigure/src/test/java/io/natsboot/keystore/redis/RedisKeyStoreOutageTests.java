package io.natsboot.keystore.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.natsboot.core.Jackson2JsonCodec;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyStoreMetrics;
import io.natsboot.keystore.KeyStoreSettings;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.KeyValueSerializer;
import io.natsboot.test.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key store whose Redis is down when it starts: no cache hits until Redis answers, then
 * the watch subscribes and events of other instances arrive.
 */
class RedisKeyStoreOutageTests {

	private final RedisServerProcess redis = RedisServerProcess.startDefault();

	private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.redis.stop();
	}

	@Test
	void aKeyStoreStartedWhileRedisIsDownWatchesOnceRedisIsUp() {
		this.redis.stop();
		KeyStoreTemplate early = keyStore();
		List<KeyEvent> events = new CopyOnWriteArrayList<>();
		early.watch("*", events::add);
		assertThat(early.isCacheServing()).isFalse();

		this.redis.start();
		await().atMost(Duration.ofSeconds(30)).until(early::isCacheServing);
		KeyStoreTemplate other = keyStore();
		other.store("config:mode", "blue");
		await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
		assertThat(events.get(0).key()).isEqualTo("config:mode");
		assertThat(early.retrieve("config:mode")).isEqualTo("blue");
		other.update("config:mode", "green");
		await().atMost(Duration.ofSeconds(5)).until(() -> "green".equals(early.retrieve("config:mode")));
	}

	private KeyStoreTemplate keyStore() {
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		connections.afterPropertiesSet();
		connections.start();
		RedisKeyValueBackendFactory factory = new RedisKeyValueBackendFactory(connections, Duration.ofMillis(200));
		KeyStoreTemplate template = new KeyStoreTemplate(factory.create("outage", "app"),
				new KeyValueSerializer(new Jackson2JsonCodec(), List.of(), null),
				KeyStoreSettings.defaults("outage", "app"), KeyStoreMetrics.NONE, factory);
		this.resources.add(connections::destroy);
		this.resources.add(factory::destroy);
		this.resources.add(template::destroy);
		return template;
	}

}
