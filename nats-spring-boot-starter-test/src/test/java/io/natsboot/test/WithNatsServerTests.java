package io.natsboot.test;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithNatsServer
class WithNatsServerTests {

	static NatsServerProcess startedForClass;

	@BeforeAll
	static void rememberServer(NatsServerProcess server) {
		startedForClass = server;
	}

	@Test
	void givesTheClassARunningServer(NatsServerProcess server) throws Exception {
		assertThat(server).isSameAs(startedForClass);
		try (Connection connection = Nats.connect(server.url())) {
			assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
			assertThat(connection.getServerInfo().isJetStreamAvailable()).isTrue();
		}
	}

	@Nested
	class WhenNested {

		@Test
		void sharesTheEnclosingClassServer(NatsServerProcess server) {
			assertThat(server).isSameAs(startedForClass);
			assertThat(server.isRunning()).isTrue();
		}

	}

}
