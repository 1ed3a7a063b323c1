package io.natsboot.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.natsboot.core.NatsConnectionException;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each authentication method and TLS against a real server configured for it.
 */
class NatsAuthenticationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NatsAutoConfiguration.class))
		.withPropertyValues("nats.startup=fail");

	@Test
	void userAndPassword() {
		try (NatsServerProcess server = server("authorization { user: alice, password: \"s3cret\" }")) {
			run(server, connected(), "nats.username=alice", "nats.password=s3cret");
			run(server, refused("s3cret", "wrong"), "nats.username=alice", "nats.password=wrong");
		}
	}

	@Test
	void token() {
		try (NatsServerProcess server = server("authorization { token: \"t0ken\" }")) {
			run(server, connected(), "nats.token=t0ken");
			run(server, refused("t0ken", "other"), "nats.token=other");
		}
	}

	@Test
	void nkeySeed() throws Exception {
		NKey user = NKey.createUser(null);
		String seed = new String(user.getSeed());
		try (NatsServerProcess server = server(
				"authorization { users: [ { nkey: " + new String(user.getPublicKey()) + " } ] }")) {
			run(server, connected(), "nats.nkey-seed=" + seed);
			String stranger = new String(NKey.createUser(null).getSeed());
			run(server, refused(seed, stranger), "nats.nkey-seed=" + stranger);
		}
	}

	@Test
	void credentialsFile(@TempDir Path directory) throws Exception {
		DecentralizedAuthFixture trusted = DecentralizedAuthFixture
			.create(Files.createDirectory(directory.resolve("a")));
		DecentralizedAuthFixture untrusted = DecentralizedAuthFixture
			.create(Files.createDirectory(directory.resolve("b")));
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config(trusted.serverConfig)
			.start()) {
			run(server, connected(), "nats.credentials=file:" + trusted.credentialsFile);
			run(server, refused(), "nats.credentials=file:" + untrusted.credentialsFile);
		}
	}

	@Test
	void aRotatedCredentialsFileIsReadAgainOnReconnect(@TempDir Path directory) throws Exception {
		DecentralizedAuthFixture fixture = DecentralizedAuthFixture.create(directory);
		int monitorPort = NatsServerProcess.findFreePort();
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config(fixture.serverConfig + "http: \"127.0.0.1:" + monitorPort + "\"")
			.start()) {
			run(server, (context) -> {
				Connection connection = context.getBean(Connection.class);
				String rotatedUser = fixture.writeNewUserCredentials(fixture.credentialsFile);
				server.restart();
				await().atMost(Duration.ofSeconds(20))
					.until(() -> connection.getStatus() == Connection.Status.CONNECTED
							&& authorizedUsers(monitorPort).contains(rotatedUser));
			}, "nats.credentials=file:" + fixture.credentialsFile, "nats.reconnect.wait=100ms");
		}
	}

	private static String authorizedUsers(int monitorPort) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/connz?auth=true")).build(),
					HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

	@Nested
	class Tls {

		@Test
		void serverAuthenticationWithATrustStoreBundle() throws IOException {
			try (NatsServerProcess server = server(tlsConfig(false))) {
				run(server, connected(), "spring.ssl.bundle.pem.nats.truststore.certificate=classpath:tls/ca.pem",
						"nats.ssl.bundle=nats");
				run(server, (context) -> assertThat(context).hasFailed());
			}
		}

		@Test
		void mutualTlsNeedsTheClientKey() throws IOException {
			try (NatsServerProcess server = server(tlsConfig(true))) {
				run(server, connected(), "spring.ssl.bundle.pem.nats.truststore.certificate=classpath:tls/ca.pem",
						"spring.ssl.bundle.pem.nats.keystore.certificate=classpath:tls/client.pem",
						"spring.ssl.bundle.pem.nats.keystore.private-key=classpath:tls/client-key.pem",
						"nats.ssl.bundle=nats");
				run(server, (context) -> assertThat(context).hasFailed(),
						"spring.ssl.bundle.pem.nats.truststore.certificate=classpath:tls/ca.pem",
						"nats.ssl.bundle=nats");
			}
		}

		private String tlsConfig(boolean verifyClients) throws IOException {
			return "tls {\n  cert_file: \"" + path("tls/server.pem") + "\"\n  key_file: \"" + path("tls/server-key.pem")
					+ "\"\n  ca_file: \"" + path("tls/ca.pem") + "\"\n  verify: " + verifyClients + "\n}";
		}

		private String path(String resource) throws IOException {
			File file = new ClassPathResource(resource).getFile();
			return file.getAbsolutePath();
		}

	}

	private static NatsServerProcess server(String config) {
		return NatsServerProcess.builder().jetStream(false).config(config).start();
	}

	private void run(NatsServerProcess server, ContextConsumer<AssertableApplicationContext> assertions,
			String... properties) {
		this.contextRunner.withPropertyValues("nats.servers=" + server.url())
			.withPropertyValues(properties)
			.run(assertions);
	}

	private static ContextConsumer<AssertableApplicationContext> connected() {
		return (context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Connection.class).getStatus()).isEqualTo(Connection.Status.CONNECTED);
		};
	}

	private static ContextConsumer<AssertableApplicationContext> refused(String... secrets) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof NatsConnectionException)) {
				failure = failure.getCause();
			}
			assertThat(failure).isNotNull();
			assertThat(failure.getMessage()).contains("refused the credentials")
				.contains("Authorization Violation")
				.contains("nats://127.0.0.1:");
			for (String secret : secrets) {
				assertThat(failure.getMessage()).doesNotContain(secret);
			}
		};
	}

}
