package io.natsboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.natsboot.actuate.NatsHealthIndicator;
import io.natsboot.core.NatsConnectionException;
import io.natsboot.core.NatsNotConnectedException;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The connection rides out server outages: it starts while NATS is down, buffers
 * publishes while disconnected and comes back by itself.
 */
class NatsOutageTests {

	private final NatsServerProcess server = NatsServerProcess.builder().jetStream(false).build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NatsAutoConfiguration.class, NatsHealthContributorAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.reconnect.wait=100ms",
				"nats.reconnect.jitter=0ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void publishesWhileTheServerIsDownArriveAfterItComesBack() {
		this.server.start();
		this.contextRunner.run((context) -> {
			Connection connection = context.getBean(Connection.class);
			await().until(() -> connection.getStatus() == Connection.Status.CONNECTED);
			List<String> received = new CopyOnWriteArrayList<>();
			connection
				.createDispatcher((message) -> received.add(new String(message.getData(), StandardCharsets.UTF_8)))
				.subscribe("outage.test");
			connection.flush(Duration.ofSeconds(2));

			this.server.stop();
			await().until(() -> connection.getStatus() != Connection.Status.CONNECTED);
			for (int i = 0; i < 10; i++) {
				connection.publish("outage.test", ("message-" + i).getBytes(StandardCharsets.UTF_8));
			}
			this.server.start();

			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 10);
			assertThat(received).containsExactly("message-0", "message-1", "message-2", "message-3", "message-4",
					"message-5", "message-6", "message-7", "message-8", "message-9");
			assertThat(connection.getStatistics().getReconnects()).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void startsWhileTheServerIsDownAndConnectsWhenItComesUp() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			Connection connection = context.getBean(Connection.class);
			NatsHealthIndicator health = context.getBean(NatsHealthIndicator.class);
			assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTING);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			connection.publish("early", new byte[0]); // buffered
			assertThatExceptionOfType(NatsNotConnectedException.class)
				.isThrownBy(() -> connection.flush(Duration.ofSeconds(1)))
				.withMessageContaining("flush()")
				.withMessageContaining(this.server.url())
				.withMessageContaining("nats.startup=wait")
				.withMessageContaining("awaitConnected(timeout)");

			this.server.start();

			await().atMost(Duration.ofSeconds(20)).until(() -> connection.getStatus() == Connection.Status.CONNECTED);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			Map<String, Object> details = health.health(true).getDetails();
			assertThat(details).containsEntry("server", this.server.url());
			connection.publish("late", new byte[0]);
			connection.flush(Duration.ofSeconds(2));
		});
	}

	@Test
	void listenersAddedBeforeTheFirstConnectHearIt() {
		this.contextRunner.run((context) -> {
			Connection connection = context.getBean(Connection.class);
			List<ConnectionListener.Events> events = new CopyOnWriteArrayList<>();
			connection.addConnectionListener((conn, type) -> events.add(type));
			this.server.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> events.contains(ConnectionListener.Events.CONNECTED));
			this.server.stop();
			await().until(() -> events.contains(ConnectionListener.Events.DISCONNECTED));
		});
	}

	@Test
	void closingTheContextBeforeTheFirstConnectStopsConnecting() {
		List<ConnectionListener.Events> events = new CopyOnWriteArrayList<>();
		Connection[] connection = new Connection[1];
		this.contextRunner.run((context) -> {
			connection[0] = context.getBean(Connection.class);
			connection[0].addConnectionListener((conn, type) -> events.add(type));
			Thread.sleep(300); // let a few attempts fail
		});
		assertThat(connection[0].getStatus()).isEqualTo(Connection.Status.CLOSED);
		this.server.start();
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> !events.contains(ConnectionListener.Events.CONNECTED));
	}

	@Test
	void startupFailNamesTheServersAndTheCause() {
		this.contextRunner.withPropertyValues("nats.startup=fail").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof NatsConnectionException)) {
				failure = failure.getCause();
			}
			assertThat(failure).isNotNull();
			assertThat(failure.getMessage()).contains("Cannot connect to NATS [" + this.server.url() + "]")
				.contains("nats.startup=wait");
		});
	}

}
