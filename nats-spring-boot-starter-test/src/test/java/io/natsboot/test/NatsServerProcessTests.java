package io.natsboot.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NatsServerProcessTests {

	@Test
	void startsOnAFreePortWithJetStreamAndAnnouncesItsVersion() throws Exception {
		try (NatsServerProcess server = NatsServerProcess.startDefault();
				Connection connection = Nats.connect(server.url())) {
			assertThat(server.url()).isEqualTo("nats://127.0.0.1:" + server.port());
			assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+.*");
			assertThat(connection.getServerInfo().isJetStreamAvailable()).isTrue();
			assertThat(server.isRunning()).isTrue();
		}
	}

	@Test
	void restartKeepsThePortAndTheJetStreamStore() throws Exception {
		try (NatsServerProcess server = NatsServerProcess.startDefault()) {
			int port = server.port();
			try (Connection connection = Nats.connect(server.url())) {
				JetStreamManagement jsm = connection.jetStreamManagement();
				jsm.addStream(StreamConfiguration.builder().name("KEPT").subjects("kept.>").build());
				connection.jetStream().publish("kept.one", "payload".getBytes(StandardCharsets.UTF_8));
			}
			server.restart();
			assertThat(server.port()).isEqualTo(port);
			try (Connection connection = Nats.connect(server.url())) {
				StreamInfo info = connection.jetStreamManagement().getStreamInfo("KEPT");
				assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
			}
		}
	}

	@Test
	void killStopsTheServerAtOnceAndStartBringsItBack() throws Exception {
		try (NatsServerProcess server = NatsServerProcess.startDefault()) {
			server.kill();
			assertThat(server.isRunning()).isFalse();
			assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> Nats.connect(server.url()));
			server.start();
			try (Connection connection = Nats.connect(server.url())) {
				assertThat(connection.RTT()).isLessThan(Duration.ofSeconds(5));
			}
		}
	}

	@Test
	void extraConfigurationIsApplied() throws Exception {
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config("authorization { token: \"s3cret\" }")
			.start()) {
			assertThat(Files.readString(server.configFile())).contains("s3cret").doesNotContain("jetstream");
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> Nats.connect(server.url()));
			try (Connection connection = Nats.connect("nats://s3cret@127.0.0.1:" + server.port())) {
				assertThat(connection.getServerInfo().isJetStreamAvailable()).isFalse();
			}
		}
	}

	@Test
	void aServerThatCannotStartFailsWithTheEndOfItsLog() {
		assertThatIllegalStateException()
			.isThrownBy(() -> NatsServerProcess.builder().config("this is { not valid").start())
			.withMessageContaining("exited with code")
			.withMessageContaining("Its log ends with");
	}

	@Test
	void aMissingBinaryFailsWithInstallInstructions() {
		System.setProperty(NatsServerProcess.BINARY_VARIABLE, "/nonexistent/nats-server");
		try {
			assertThatExceptionOfType(ServerBinaryNotFoundException.class).isThrownBy(NatsServerProcess::startDefault)
				.withMessageContaining("NATS_SERVER_BIN=/nonexistent/nats-server");
		}
		finally {
			System.clearProperty(NatsServerProcess.BINARY_VARIABLE);
		}
	}

	@Test
	void theInstallHintNamesThePackageManagers() {
		assertThat(NatsServerProcess.INSTALL_HINT).contains("apt-get install nats-server")
			.contains("brew install nats-server");
	}

	@Test
	void closeDeletesTheWorkingDirectory() {
		NatsServerProcess server = NatsServerProcess.startDefault();
		Path directory = server.workDirectory();
		server.close();
		assertThat(directory).doesNotExist();
		assertThatIllegalStateException().isThrownBy(server::start).withMessageContaining("closed");
	}

}
