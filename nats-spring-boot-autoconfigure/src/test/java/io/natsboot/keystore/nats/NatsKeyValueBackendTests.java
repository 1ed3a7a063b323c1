package io.natsboot.keystore.nats;

import java.time.Duration;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.core.NatsNotConnectedException;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreIntegrityException;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.StoreOptions;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What only the NATS backend does: the documented wire format, the expiry sweep of a 2.9
 * server, raw tampering, and the cache across a server crash.
 */
class NatsKeyValueBackendTests {

	private final NatsServerProcess server = NatsServerProcess.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.startup=fail", "nats.reconnect.wait=100ms",
				"nats.drain-timeout=2s", "nats.keystore.namespace=app", "nats.keystore.sweep-interval=200ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void valuesArePlainPayloadsWithTheMetadataInHeaders() throws Exception {
		this.server.start();
		this.contextRunner.run((context) -> {
			KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
			KeyMetadata stored = keyStore.store("user:1", Map.of("name", "Ann"),
					StoreOptions.tags("web", "v2").ttl(Duration.ofHours(1)));
			try (Connection plain = Nats.connect(this.server.url())) {
				MessageInfo message = plain.jetStreamManagement()
					.getLastMessage("KV_keystore", "$KV.keystore.app.user=3A1");
				assertThat(new String(message.getData())).isEqualTo("{\"name\":\"Ann\"}");
				Headers headers = message.getHeaders();
				assertThat(headers.getFirst("KS-Version")).isEqualTo("1");
				assertThat(headers.getFirst("KS-Format")).isEqualTo("json");
				assertThat(headers.getFirst("KS-Tags")).isEqualTo("web,v2");
				assertThat(headers.getFirst("KS-Checksum")).isEqualTo("sha256=" + stored.checksum());
				assertThat(headers.getFirst("KS-Created-At")).isEqualTo(stored.createdAt().toString());
				assertThat(headers.getFirst("KS-Expires-At")).isEqualTo(stored.expiresAt().toString());
				assertThat(headers.getFirst("Content-Type")).isEqualTo("application/json");
				assertThat(message.getSeq()).isEqualTo(stored.revision());
			}
		});
	}

	@Test
	void expiredKeysArePurgedOnceEvenWithSeveralSweepers() throws Exception {
		this.server.start();
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			KeyStoreOperations keyStore = first.getBean(KeyStoreOperations.class);
			second.getBean(KeyStoreOperations.class).listKeys("*");
			keyStore.store("short", "lived", StoreOptions.ttl(Duration.ofMillis(500)));
			keyStore.store("long", "lived", StoreOptions.ttl(Duration.ofHours(1)));
			try (Connection plain = Nats.connect(this.server.url())) {
				assertThat(plain.keyValue("keystore").get("app.short")).isNotNull();
				await().atMost(Duration.ofSeconds(10)).until(() -> plain.keyValue("keystore").get("app.short") == null);
				// one purge marker: the second sweeper's revision check failed instead of
				// purging again
				assertThat(plain.keyValue("keystore").history("app.short")).hasSize(1);
				assertThat(plain.keyValue("keystore").get("app.long")).isNotNull();
			}
			assertThat(keyStore.listKeys("*")).containsExactly("long");
		}));
	}

	@Test
	void bytesChangedBehindTheKeyStoreAreNeverReturned() throws Exception {
		this.server.start();
		this.contextRunner.run((context) -> {
			KeyStoreOperations keyStore = context.getBean(KeyStoreOperations.class);
			keyStore.store("account:7", Map.of("balance", 10));
			try (Connection plain = Nats.connect(this.server.url())) {
				MessageInfo message = plain.jetStreamManagement()
					.getLastMessage("KV_keystore", "$KV.keystore.app.account=3A7");
				Headers metadataOnly = new Headers();
				message.getHeaders()
					.entrySet()
					.stream()
					.filter((header) -> header.getKey().startsWith("KS-"))
					.forEach((header) -> metadataOnly.put(header.getKey(), header.getValue()));
				plain.jetStream()
					.publish("$KV.keystore.app.account=3A7", metadataOnly, "{\"balance\":1000}".getBytes());
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThatExceptionOfType(KeyStoreIntegrityException.class)
					.isThrownBy(() -> keyStore.retrieve("account:7"))
					.withMessageContaining("account:7"));
		});
	}

	@Test
	void anApplicationStartedWhileNatsIsDownUsesTheKeyStoreOnceConnected() {
		this.contextRunner.withPropertyValues("nats.startup=wait").run((context) -> {
			KeyStoreTemplate keyStore = context.getBean(KeyStoreTemplate.class);
			assertThatExceptionOfType(NatsNotConnectedException.class).isThrownBy(() -> keyStore.store("early", "x"))
				.withMessageContaining("keystore");
			assertThat(keyStore.isCacheServing()).isFalse();
			this.server.start();
			await().atMost(Duration.ofSeconds(30)).until(keyStore::isCacheServing);
			assertThat(keyStore.store("early", "x").version()).isEqualTo(1);
			assertThat(keyStore.retrieve("early")).isEqualTo("x");
		});
	}

	@Test
	void theCacheStopsServingWhileDisconnectedAndCatchesUpAfterARestart() {
		this.server.start();
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			KeyStoreTemplate a = first.getBean(KeyStoreTemplate.class);
			KeyStoreTemplate b = second.getBean(KeyStoreTemplate.class);
			a.store("config:mode", "blue", StoreOptions.format(KeyFormat.TEXT));
			assertThat(b.retrieve("config:mode")).isEqualTo("blue");
			assertThat(b.isCacheServing()).isTrue();

			this.server.kill();
			await().atMost(Duration.ofSeconds(10)).until(() -> !b.isCacheServing());
			assertThat(b.cacheStats().size()).isZero();
			this.server.start();

			await().atMost(Duration.ofSeconds(30)).until(() -> a.isCacheServing() && b.isCacheServing());
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> a.update("config:mode", "green"));
			await().atMost(Duration.ofSeconds(5)).until(() -> "green".equals(b.retrieve("config:mode")));
			b.retrieve("config:mode");
			a.update("config:mode", "red");
			await().atMost(Duration.ofSeconds(5)).until(() -> "red".equals(b.retrieve("config:mode")));
		}));
	}

}
