package io.natsboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several URLs in {@code nats.servers} form a cluster: when the server in use dies, the
 * connection moves to another one and keeps its subscriptions.
 */
class NatsClusterFailoverTests {

	@Test
	void failsOverToAnotherServerOfTheClusterWithItsSubscriptions() {
		int routePortA = NatsServerProcess.findFreePort();
		int routePortB = NatsServerProcess.findFreePort();
		try (NatsServerProcess a = clusterMember(routePortA, routePortB);
				NatsServerProcess b = clusterMember(routePortB, routePortA)) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
				.withPropertyValues("nats.servers=" + a.url() + "," + b.url(), "nats.startup=fail",
						"nats.reconnect.wait=100ms")
				.run((context) -> {
					Connection connection = context.getBean(Connection.class);
					List<String> received = new CopyOnWriteArrayList<>();
					connection
						.createDispatcher(
								(message) -> received.add(new String(message.getData(), StandardCharsets.UTF_8)))
						.subscribe("cluster.events");
					connection.flush(Duration.ofSeconds(2));

					NatsServerProcess used = connection.getConnectedUrl().equals(a.url()) ? a : b;
					NatsServerProcess other = (used == a) ? b : a;
					used.kill();
					await().atMost(Duration.ofSeconds(20))
						.until(() -> connection.getStatus() == Connection.Status.CONNECTED
								&& other.url().equals(connection.getConnectedUrl()));

					try (Connection publisher = Nats.connect(other.url())) {
						await().atMost(Duration.ofSeconds(10)).until(() -> {
							publisher.publish("cluster.events", "after-failover".getBytes(StandardCharsets.UTF_8));
							publisher.flush(Duration.ofSeconds(1));
							return !received.isEmpty();
						});
					}
					assertThat(received).contains("after-failover");
				});
		}
	}

	private static NatsServerProcess clusterMember(int routePort, int peerRoutePort) {
		return NatsServerProcess.builder()
			.jetStream(false)
			.config("cluster {\n  name: natsboot\n  listen: \"127.0.0.1:" + routePort
					+ "\"\n  routes: [\"nats-route://127.0.0.1:" + peerRoutePort + "\"]\n}")
			.start();
	}

}
