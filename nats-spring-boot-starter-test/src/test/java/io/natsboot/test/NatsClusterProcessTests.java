package io.natsboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithNatsCluster
class NatsClusterProcessTests {

	@Test
	void startsThreeRoutedNodesWithAMetaLeaderSoReplicatedStreamsCanBeCreatedAtOnce(NatsClusterProcess cluster)
			throws Exception {
		assertThat(cluster.nodes()).hasSize(3);
		assertThat(cluster.nodes()).extracting(NatsServerProcess::serverName).containsExactly("n1", "n2", "n3");
		assertThat(cluster.urls().split(",")).hasSize(3);
		try (Connection connection = Nats.connect(cluster.node(0).url())) {
			connection.jetStreamManagement()
				.addStream(StreamConfiguration.builder().name("R3").subjects("r3.>").replicas(3).build());
			assertThat(cluster.replicasOf("R3")).isEqualTo(3);
			assertThat(connection.getServerInfo().getCluster()).isEqualTo("natsboot");
		}
	}

	@Test
	void aKilledLeaderIsReplacedAndRejoinsAsACurrentPeerOnItsPortsAndStore(NatsClusterProcess cluster)
			throws Exception {
		Options options = new Options.Builder().servers(cluster.urls().split(","))
			.maxReconnects(-1)
			.reconnectWait(Duration.ofMillis(100))
			.build();
		try (Connection connection = Nats.connect(options)) {
			JetStreamManagement management = connection.jetStreamManagement();
			management
				.addStream(StreamConfiguration.builder().name("FAILOVER").subjects("failover.>").replicas(3).build());
			connection.jetStream().publish("failover.one", "kept".getBytes(StandardCharsets.UTF_8));
			NatsServerProcess leader = cluster.leaderOf("FAILOVER");
			int port = leader.port();

			cluster.kill(leader);
			NatsServerProcess next = cluster.leaderOf("FAILOVER");
			assertThat(next).isNotSameAs(leader);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> connection.getStatus() == Connection.Status.CONNECTED
						&& cluster.nodeOf(connection) != leader);

			cluster.restart(leader);
			assertThat(leader.isRunning()).isTrue();
			assertThat(leader.port()).isEqualTo(port);
			assertThat(management.getStreamInfo("FAILOVER").getStreamState().getMsgCount()).isEqualTo(1);
		}
	}

}
