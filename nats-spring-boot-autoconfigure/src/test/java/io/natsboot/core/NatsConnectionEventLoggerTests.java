package io.natsboot.core;

import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Options;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class NatsConnectionEventLoggerTests {

	@Test
	void logsEachEventOnceWithTheServerAndNoSecret(CapturedOutput output) throws Exception {
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config("authorization { user: alice, password: \"hunter2\" }")
			.start()) {
			NatsConnectionEventLogger logger = new NatsConnectionEventLogger();
			Options options = fastReconnecting("nats://alice:hunter2@127.0.0.1:" + server.port(), logger);
			Connection connection = new NatsConnectionFactory(options).connect(StartupMode.FAIL);
			await().until(() -> output.getOut().contains("Connected to NATS"));

			server.stop();
			Thread.sleep(1000); // about 20 failed reconnect attempts
			server.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("Reconnected to NATS"));
			connection.close();
			await().until(() -> output.getOut().contains("Closed the NATS connection"));

			String log = output.getOut();
			assertThat(log).contains("Connected to NATS nats://******@127.0.0.1:" + server.port())
				.contains("version " + server.version())
				.doesNotContain("hunter2");
			assertThat(occurrences(log, "Disconnected from NATS")).isEqualTo(1);
			assertThat(occurrences(log, "Connection refused")).isEqualTo(1);
		}
	}

	@Test
	void beforeTheFirstConnectTheLogSaysOnceThatTheServerCannotBeReachedAndWhy(CapturedOutput output) throws Exception {
		String url = NatsServerProcess.builder().build().url(); // nothing listens there
		NatsConnectionEventLogger logger = new NatsConnectionEventLogger();
		Options options = fastReconnecting(url, logger);
		Connection connection = new NatsConnectionFactory(options).connect(StartupMode.WAIT);
		try {
			await().until(() -> output.getOut().contains("Cannot reach NATS"));
			Thread.sleep(1000); // about 20 more failed attempts
		}
		finally {
			connection.close();
		}
		String log = output.getOut();
		assertThat(occurrences(log, "Cannot reach NATS [" + url + "]: ConnectException: Connection refused"))
			.isEqualTo(1);
		assertThat(log).doesNotContain("Disconnected from NATS").doesNotContain("reconnecting");
	}

	@Test
	void aRefusedPasswordIsLoggedOnceWithAHintAndTheConnectionCloses(CapturedOutput output) throws Exception {
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config("authorization { user: alice, password: \"hunter2\" }")
			.start()) {
			NatsConnectionEventLogger logger = new NatsConnectionEventLogger();
			Options options = new Options.Builder().server(server.url())
				.userInfo("alice", "wrong-secret")
				.reconnectWait(Duration.ofMillis(50))
				.reconnectJitter(Duration.ofMillis(1))
				.connectionListener(logger)
				.errorListener(logger)
				.build();
			Connection connection = new NatsConnectionFactory(options).connect(StartupMode.WAIT);
			try {
				// jnats stops retrying after the same authentication error twice from one
				// server
				await().atMost(Duration.ofSeconds(10)).until(() -> connection.getStatus() == Connection.Status.CLOSED);
				assertThat(connection.getLastError()).contains("Authorization Violation");
			}
			finally {
				connection.close();
			}
			String log = output.getOut();
			assertThat(occurrences(log, "reported: Authorization Violation (check the credentials")).isEqualTo(1);
			assertThat(log).doesNotContain("wrong-secret");
		}
	}

	@Test
	void slowConsumersAreLoggedWithTheirBacklog(CapturedOutput output) throws Exception {
		try (NatsServerProcess server = NatsServerProcess.builder().jetStream(false).start()) {
			NatsConnectionEventLogger logger = new NatsConnectionEventLogger();
			Options options = new Options.Builder().server(server.url()).errorListener(logger).build();
			try (Connection connection = new NatsConnectionFactory(options).connect(StartupMode.FAIL)) {
				java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
				io.nats.client.Dispatcher dispatcher = connection.createDispatcher((message) -> release.await());
				dispatcher.setPendingLimits(5, -1);
				dispatcher.subscribe("busy");
				for (int i = 0; i < 50; i++) {
					connection.publish("busy", new byte[16]);
				}
				connection.flush(Duration.ofSeconds(2));
				await().until(() -> output.getOut().contains("NATS slow consumer on " + server.url()));
				release.countDown();
			}
			assertThat(output.getOut()).contains("dropped so far");
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int index = text.indexOf(part); index >= 0; index = text.indexOf(part, index + 1)) {
			count++;
		}
		return count;
	}

	private static Options fastReconnecting(String url, NatsConnectionEventLogger logger) {
		return new Options.Builder().server(url)
			.reconnectWait(Duration.ofMillis(50))
			.reconnectJitter(Duration.ofMillis(1))
			.maxReconnects(-1)
			.connectionListener(logger)
			.errorListener(logger)
			.build();
	}

}
