package io.natsboot.test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;
import org.jspecify.annotations.Nullable;

/**
 * A JetStream cluster of real {@code nats-server} processes on loopback: each node has
 * its own client and route port, server name ({@code n1}, {@code n2}, …) and JetStream
 * store, and routes to every other node. Nodes can be killed and restarted on the same
 * ports and store, as a machine that crashes and comes back would. {@link #start()}
 * returns once the cluster has elected its JetStream meta leader, so replicated streams
 * can be created at once.
 *
 * <pre class="code">
 * try (NatsClusterProcess cluster = NatsClusterProcess.builder().nodes(3).start()) {
 *     // nats.servers = cluster.urls()
 *     NatsServerProcess leader = cluster.leaderOf("TASKS");
 *     leader.kill();
 *     ...
 *     cluster.restart(leader); // back on its ports and store, and a current peer of its streams
 * }
 * </pre> Requires jnats on the class path (it is there in every application that uses the
 * starter): the cluster is asked for its leaders through the JetStream API.
 */
public final class NatsClusterProcess implements AutoCloseable {

	/** How long start-up, a restart and leader elections may take before they fail. */
	private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

	private final String name;

	private final List<NatsServerProcess> nodes;

	/** What the latest wait found missing, for its failure message. */
	private volatile @Nullable String waitingFor;

	private NatsClusterProcess(Builder builder) {
		this.name = builder.name;
		int size = builder.nodes;
		int[] routePorts = new int[size];
		for (int i = 0; i < size; i++) {
			routePorts[i] = ServerProcess.findFreePort();
		}
		List<NatsServerProcess> created = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			StringBuilder routes = new StringBuilder();
			for (int j = 0; j < size; j++) {
				if (j != i) {
					routes.append(routes.isEmpty() ? "" : ", ")
						.append("\"nats-route://127.0.0.1:")
						.append(routePorts[j])
						.append('"');
				}
			}
			created.add(NatsServerProcess.builder()
				.serverName("n" + (i + 1))
				.config("cluster {\n  name: " + this.name + "\n  listen: \"127.0.0.1:" + routePorts[i]
						+ "\"\n  routes: [" + routes + "]\n}")
				.config(builder.config.toString())
				.build());
		}
		this.nodes = List.copyOf(created);
	}

	/**
	 * Starts describing a cluster.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts every node and waits until the cluster has a JetStream meta leader.
	 * @throws IllegalStateException when a node does not start or no leader is elected
	 * within two minutes
	 */
	public void start() {
		for (NatsServerProcess node : this.nodes) {
			node.start();
		}
		awaitMetaLeader();
	}

	/**
	 * The nodes, in the order of their names ({@code n1} first).
	 * @return the nodes
	 */
	public List<NatsServerProcess> nodes() {
		return this.nodes;
	}

	/**
	 * One node by its position.
	 * @param index from 0
	 * @return the node
	 */
	public NatsServerProcess node(int index) {
		return this.nodes.get(index);
	}

	/**
	 * The client URLs of all nodes, comma separated: the value for {@code nats.servers}.
	 * @return e.g. {@code nats://127.0.0.1:4222,nats://127.0.0.1:4223,...}
	 */
	public String urls() {
		return this.nodes.stream().map(NatsServerProcess::url).collect(Collectors.joining(","));
	}

	/**
	 * The node a connection is connected to now.
	 * @param connection a connection to this cluster
	 * @return the node
	 * @throws IllegalStateException when it is connected to none of them
	 */
	public NatsServerProcess nodeOf(Connection connection) {
		String url = connection.getConnectedUrl();
		for (NatsServerProcess node : this.nodes) {
			if (url != null && url.endsWith(":" + node.port())) {
				return node;
			}
		}
		throw new IllegalStateException("The connection is on " + url + ", not on a node of " + this);
	}

	/**
	 * The node that leads a stream (a key-value bucket is the stream
	 * {@code KV_<bucket>}), waiting through an election.
	 * @param stream the stream's name
	 * @return the leading node
	 * @throws IllegalStateException when the stream has no leader within two minutes
	 */
	public NatsServerProcess leaderOf(String stream) {
		return await("a leader of stream '" + stream + "'", (management) -> {
			ClusterInfo cluster = management.getStreamInfo(stream).getClusterInfo();
			return (cluster != null && cluster.getLeader() != null) ? nodeNamed(cluster.getLeader()) : null;
		});
	}

	/**
	 * Kills a node at once (SIGKILL), keeping its ports and store.
	 * @param node the node
	 */
	public void kill(NatsServerProcess node) {
		node.kill();
	}

	/**
	 * Starts a stopped or killed node again on its ports and store, and waits until it is
	 * a current peer of every replicated stream it holds a replica of and every stream
	 * has a leader again.
	 * @param node the node
	 */
	public void restart(NatsServerProcess node) {
		node.stop();
		node.start();
		awaitMetaLeader();
		awaitCurrent(node);
	}

	/**
	 * Waits until the cluster has a JetStream meta leader, so its API answers.
	 */
	public void awaitMetaLeader() {
		await("a JetStream meta leader", (management) -> management.getAccountStatistics());
	}

	/**
	 * Waits until every stream that answers has a leader and the node is a current
	 * replica (caught up) of each of them it holds a replica of. (A stream whose only
	 * replica is on another node that is down answers nothing, and is passed over.)
	 * @param node a running node
	 */
	public void awaitCurrent(NatsServerProcess node) {
		String nodeName = node.serverName();
		await("node " + nodeName + " to be a current peer of its streams", (management) -> {
			for (String stream : management.getStreamNames()) {
				ClusterInfo cluster;
				try {
					cluster = management.getStreamInfo(stream).getClusterInfo();
				}
				catch (IOException | JetStreamApiException ex) {
					// a stream with one replica on a node that is down answers nothing:
					// not this node's
					continue;
				}
				if (cluster == null) {
					continue;
				}
				if (cluster.getLeader() == null) {
					this.waitingFor = "stream '" + stream + "' has no leader";
					return null;
				}
				if (cluster.getReplicas() != null) {
					for (Replica replica : cluster.getReplicas()) {
						if (nodeName.equals(replica.getName()) && (!replica.isCurrent() || replica.isOffline())) {
							this.waitingFor = "node " + nodeName + " is not current in stream '" + stream + "' (lag "
									+ replica.getLag() + ")";
							return null;
						}
					}
				}
			}
			return Boolean.TRUE;
		});
	}

	/**
	 * The stream's replicas (leader included) as the cluster reports them.
	 * @param stream the stream's name
	 * @return its configured replica count
	 */
	public int replicasOf(String stream) {
		return await("the info of stream '" + stream + "'",
				(management) -> management.getStreamInfo(stream).getConfiguration().getReplicas());
	}

	private NatsServerProcess nodeNamed(String serverName) {
		for (NatsServerProcess node : this.nodes) {
			if (node.serverName().equals(serverName)) {
				return node;
			}
		}
		throw new IllegalStateException("No node named '" + serverName + "' in " + this);
	}

	private <T> T await(String what, ManagementCall<T> call) {
		this.waitingFor = null;
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		Exception last = null;
		while (System.nanoTime() < deadline) {
			for (NatsServerProcess node : this.nodes) {
				if (!node.isRunning()) {
					continue;
				}
				try (Connection connection = Nats.connect(new Options.Builder().server(node.url())
					.connectionTimeout(Duration.ofSeconds(2))
					.noReconnect()
					.errorListener(new io.nats.client.ErrorListener() {
					})
					.build())) {
					JetStreamManagement management = connection.jetStreamManagement(
							io.nats.client.JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
					T result = call.run(management);
					if (result != null) {
						return result;
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for " + what, ex);
				}
				catch (IOException | JetStreamApiException | RuntimeException ex) {
					last = ex;
				}
			}
			ServerProcess.sleep(250);
		}
		String missing = this.waitingFor;
		throw new IllegalStateException("No " + what + " in " + this + " within " + READY_TIMEOUT
				+ ((missing != null) ? " (" + missing + ")" : "")
				+ ((last != null) ? " (last error: " + last + ")" : ""), last);
	}

	/**
	 * Stops every node and deletes their directories.
	 */
	@Override
	public void close() {
		for (NatsServerProcess node : this.nodes) {
			node.close();
		}
	}

	@Override
	public String toString() {
		return "NatsClusterProcess[" + this.name + ": "
				+ this.nodes.stream()
					.map((node) -> node.serverName() + "@" + node.port())
					.collect(Collectors.joining(", "))
				+ "]";
	}

	@FunctionalInterface
	private interface ManagementCall<T> {

		@Nullable T run(JetStreamManagement management) throws IOException, JetStreamApiException, InterruptedException;

	}

	/**
	 * Describes a {@link NatsClusterProcess} before it starts.
	 */
	public static final class Builder {

		private int nodes = 3;

		private String name = "natsboot";

		private final StringBuilder config = new StringBuilder();

		private Builder() {
		}

		/**
		 * How many nodes (default 3: JetStream's R3 survives the loss of one).
		 * @param nodes at least 1
		 * @return this builder
		 */
		public Builder nodes(int nodes) {
			if (nodes < 1) {
				throw new IllegalArgumentException("A cluster needs at least 1 node, was " + nodes);
			}
			this.nodes = nodes;
			return this;
		}

		/**
		 * The cluster's name (default {@code natsboot}).
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Appends server configuration every node gets, e.g. {@code authorization} or
		 * {@code accounts}.
		 * @param snippet configuration in nats-server's format
		 * @return this builder
		 */
		public Builder config(String snippet) {
			this.config.append(snippet).append('\n');
			return this;
		}

		/**
		 * Creates the cluster without starting it.
		 * @return the cluster, stopped
		 */
		public NatsClusterProcess build() {
			return new NatsClusterProcess(this);
		}

		/**
		 * Creates and starts the cluster.
		 * @return the running cluster
		 */
		public NatsClusterProcess start() {
			NatsClusterProcess cluster = build();
			try {
				cluster.start();
			}
			catch (RuntimeException ex) {
				cluster.close();
				throw ex;
			}
			return cluster;
		}

	}

}
