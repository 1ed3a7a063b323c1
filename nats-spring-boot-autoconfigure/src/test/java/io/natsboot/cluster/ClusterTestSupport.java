package io.natsboot.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsboot.test.NatsClusterProcess;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the cluster tests share: a 3-node JetStream cluster per test class, a namespace
 * per test (so streams and buckets never meet), applications with R3 and quick
 * reconnects, and every node a test killed brought back after it, then the test's streams
 * and buckets deleted.
 */
@WithNatsCluster
abstract class ClusterTestSupport {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static NatsClusterProcess cluster;

	final String namespace;

	private final List<NatsServerProcess> killed = new ArrayList<>();

	ClusterTestSupport(String prefix) {
		this.namespace = prefix + namespaces.incrementAndGet();
	}

	@BeforeAll
	static void cluster(NatsClusterProcess started) {
		cluster = started;
	}

	@AfterEach
	void bringBackKilledNodesAndDeleteStreams() throws Exception {
		for (NatsServerProcess node : this.killed) {
			restart(node);
		}
		this.killed.clear();
		deleteStreams();
	}

	/**
	 * Restarts a node, and once more when a stream's raft group stays without a leader or
	 * the node stays behind: nats-server 2.9 now and then wedges a group on a loaded
	 * machine until one of its peers restarts. What a test checks happens before this.
	 */
	private static void restart(NatsServerProcess node) {
		try {
			cluster.restart(node);
		}
		catch (IllegalStateException ex) {
			cluster.restart(node);
		}
	}

	/**
	 * Deletes the streams (and so the buckets) of this test's namespace. A node a later
	 * test restarts then has only that test's streams to catch up with: on a loaded
	 * machine nats-server 2.9 now and then leaves a restarted follower behind, for
	 * minutes, in a stream nobody writes to any more.
	 */
	private void deleteStreams() throws Exception {
		Pattern ours = Pattern.compile("(^|_)" + Pattern.quote(this.namespace) + "([_-]|$)");
		Options options = Options.builder().servers(cluster.urls().split(",")).build();
		try (Connection connection = Nats.connect(options)) {
			JetStreamManagement management = connection.jetStreamManagement();
			// deleted until none is listed any more: a delete the meta leader lost in an
			// election is repeated
			for (int round = 0; round < 20; round++) {
				List<String> left = management.getStreamNames()
					.stream()
					.filter((stream) -> ours.matcher(stream).find())
					.toList();
				if (left.isEmpty()) {
					return;
				}
				for (String stream : left) {
					try {
						management.deleteStream(stream);
					}
					catch (IOException | JetStreamApiException ex) {
						// listed again in the next round
					}
				}
				Thread.sleep(250);
			}
		}
	}

	ApplicationContextRunner contextRunner(Class<?>... autoConfigurations) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(autoConfigurations))
			.withPropertyValues("nats.servers=" + cluster.urls(), "nats.startup=fail",
					"nats.namespace=" + this.namespace, "nats.jetstream.replicas=3", "nats.reconnect.wait=100ms",
					"nats.drain-timeout=2s");
	}

	void kill(NatsServerProcess node) {
		this.killed.add(node);
		cluster.kill(node);
	}

	void bringBack(NatsServerProcess node) {
		restart(node);
		this.killed.remove(node);
	}

}
