package io.natsboot.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.nats.client.Connection;
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
			cluster.restart(node);
		}
		this.killed.clear();
		deleteStreams();
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
			for (String stream : management.getStreamNames()) {
				if (ours.matcher(stream).find()) {
					management.deleteStream(stream);
				}
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
		cluster.restart(node);
		this.killed.remove(node);
	}

}
