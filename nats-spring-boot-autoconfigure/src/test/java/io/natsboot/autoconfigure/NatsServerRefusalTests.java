package io.natsboot.autoconfigure;

import java.io.IOException;
import java.time.Duration;

import io.natsboot.actuate.NatsHealthIndicator;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.core.NatsPayloadTooLargeException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskState;
import io.natsboot.task.TaskStatus;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the server refuses reaches the application with its reason: a payload over
 * {@code max_payload} names the key or subject, its size and the limit; refused
 * credentials and a failed TLS handshake show in health as {@code lastError}.
 */
class NatsServerRefusalTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NatsAutoConfiguration.class,
				NatsKeyStoreAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
				NatsHealthContributorAutoConfiguration.class))
		.withPropertyValues("nats.drain-timeout=2s", "nats.keystore.cache.enabled=false");

	@Test
	void aKeyStoreValueOverMaxPayloadNamesKeyBucketSizeAndLimit() {
		try (NatsServerProcess server = NatsServerProcess.builder().config("max_payload: 1024").start()) {
			this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.startup=fail")
				.run((context) -> {
					KeyStoreTemplate keys = context.getBean(KeyStoreTemplate.class);
					String value = "x".repeat(2048);
					assertThatExceptionOfType(NatsPayloadTooLargeException.class)
						.isThrownBy(() -> keys.store("report:big", value))
						.withMessageContaining("key 'report:big'")
						.withMessageContaining("bucket 'keystore'")
						.withMessageContaining("max payload of 1024 bytes")
						.withMessageMatching("(?s).* is \\d{4,} bytes \\(2050 of data, \\d+ of headers.*");
					assertThat(keys.retrieve("report:big", String.class)).isNull();
					// the connection is still there: the server never saw the message
					keys.store("report:small", "fits");
					assertThat(keys.retrieve("report:small", String.class)).isEqualTo("fits");
				});
		}
	}

	@Test
	void aTaskOrPublishOverMaxPayloadNamesTheTaskOrSubject() {
		try (NatsServerProcess server = NatsServerProcess.builder().config("max_payload: 1024").start()) {
			this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.startup=fail")
				.run((context) -> {
					String payload = "y".repeat(2048);
					assertThatExceptionOfType(NatsPayloadTooLargeException.class)
						.isThrownBy(() -> context.getBean(TaskQueue.class).enqueue("import", payload))
						.withMessageContaining("(import) to 'natsboot.tasks.default.normal.import'")
						.withMessageContaining("max payload of 1024 bytes");
					NatsTemplate nats = context.getBean(NatsTemplate.class);
					assertThatExceptionOfType(NatsPayloadTooLargeException.class)
						.isThrownBy(() -> nats.publish("imports", (Object) payload))
						.withMessageContaining("'imports'")
						.withMessageContaining("1024");
					assertThat(nats.isConnected()).isTrue();
				});
		}
	}

	@Test
	void aTaskWhoseResultIsOverMaxPayloadEndsSucceededSayingItsResultWasNotStored() {
		try (NatsServerProcess server = NatsServerProcess.builder().config("max_payload: 1024").start()) {
			this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.startup=fail")
				.withBean(BigResult.class)
				.run((context) -> {
					TaskQueue tasks = context.getBean(TaskQueue.class);
					String id = tasks.enqueue("big", "x").id();
					await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
						TaskStatus status = tasks.status(id);
						assertThat(status).isNotNull();
						assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
						assertThat(status.lastError()).contains("its result could not be stored")
							.contains("max payload of 1024 bytes");
					});
					assertThat(tasks.result(id, String.class)).isNull();
				});
		}
	}

	static class BigResult {

		@TaskHandler("big")
		String big(String payload) {
			return "z".repeat(4096);
		}

	}

	@Test
	void refusedCredentialsShowInHealth() {
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config("authorization { user: alice, password: \"s3cret\" }")
			.start()) {
			this.contextRunner
				.withPropertyValues("nats.servers=" + server.url(), "nats.startup=wait", "nats.username=alice",
						"nats.password=wrong", "nats.reconnect.wait=100ms")
				.run((context) -> {
					NatsHealthIndicator health = context.getBean(NatsHealthIndicator.class);
					await().untilAsserted(() -> {
						Health down = health.health(true);
						assertThat(down.getStatus()).isEqualTo(Status.DOWN);
						assertThat(down.getDetails()).containsEntry("lastError", "Authorization Violation");
					});
					assertThat(context.getBean(NatsTemplate.class).health(false).error())
						.isEqualTo("Authorization Violation");
				});
		}
	}

	@Test
	void aFailedTlsHandshakeShowsInHealthWithItsCause() throws IOException {
		String tls = "tls {\n  cert_file: \"" + path("tls/server.pem") + "\"\n  key_file: \""
				+ path("tls/server-key.pem") + "\"\n}";
		try (NatsServerProcess server = NatsServerProcess.builder().jetStream(false).config(tls).start()) {
			// the JVM's default trust store does not know the test CA
			this.contextRunner
				.withPropertyValues("nats.servers=" + server.url(), "nats.startup=wait", "nats.ssl.enabled=true",
						"nats.reconnect.wait=100ms")
				.run((context) -> {
					NatsHealthIndicator health = context.getBean(NatsHealthIndicator.class);
					await().untilAsserted(() -> {
						Health down = health.health(true);
						assertThat(down.getStatus()).isEqualTo(Status.DOWN);
						assertThat(String.valueOf(down.getDetails().get("lastError")))
							.startsWith("TLS handshake failed: ")
							.containsAnyOf("certification path", "PKIX")
							.doesNotContain("TimeoutException");
					});
				});
		}
	}

	private static String path(String resource) throws IOException {
		return new ClassPathResource(resource).getFile().getAbsolutePath();
	}

}
