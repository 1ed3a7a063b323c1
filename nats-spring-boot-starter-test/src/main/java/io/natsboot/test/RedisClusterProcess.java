package io.natsboot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster on loopback: N {@code redis-server --cluster-enabled yes} masters
 * (3 by default, no replicas) on free ports, each with its own working directory and
 * {@code cluster-config-file}, joined by {@code redis-cli --cluster create} and ready
 * once every node reports {@code cluster_state:ok}. Nothing is kept on disk beyond the
 * cluster's node files. {@code redis-server} is taken as by {@link RedisServerProcess},
 * {@code redis-cli} from {@code REDIS_CLI_BIN} (environment variable or system property),
 * else from the {@code PATH}.
 *
 * <pre class="code">
 * try (RedisClusterProcess cluster = RedisClusterProcess.startDefault()) {
 *     // spring.data.redis.cluster.nodes = String.join(",", cluster.nodes())
 * }
 * </pre>
 */
public final class RedisClusterProcess implements AutoCloseable {

	/**
	 * The environment variable (or system property) that may name the {@code redis-cli}
	 * binary.
	 */
	public static final String CLI_BINARY_VARIABLE = "REDIS_CLI_BIN";

	/** Masters of {@link #startDefault()}; Redis Cluster wants at least three. */
	public static final int DEFAULT_MASTERS = 3;

	private static final String INSTALL_HINT = "'apt-get install redis-server' (which brings redis-cli) on "
			+ "Debian/Ubuntu, 'brew install redis' on macOS";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private final Path workDirectory;

	private boolean closed;

	private RedisClusterProcess() {
		try {
			this.workDirectory = Files.createTempDirectory("redis-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a working directory for a Redis cluster", ex);
		}
	}

	/**
	 * Starts a cluster of {@value #DEFAULT_MASTERS} masters on free ports.
	 * @return the running cluster, every slot served
	 */
	public static RedisClusterProcess startDefault() {
		return start(DEFAULT_MASTERS);
	}

	/**
	 * Starts a cluster of masters without replicas on free ports.
	 * @param masters how many masters (at least 3, as {@code redis-cli --cluster create}
	 * requires)
	 * @param extraArguments arguments appended to every server's command line, e.g.
	 * {@code "--notify-keyspace-events", "Ex"}
	 * @return the running cluster, every slot served
	 * @throws IllegalStateException when a server does not start, the cluster cannot be
	 * created or it is not ready within a minute; every process started is stopped then
	 */
	public static RedisClusterProcess start(int masters, String... extraArguments) {
		if (masters < 3) {
			throw new IllegalArgumentException("A Redis cluster needs at least 3 masters, not " + masters);
		}
		RedisClusterProcess cluster = new RedisClusterProcess();
		try {
			List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
					"nodes.conf", "--cluster-node-timeout", "5000"));
			arguments.addAll(List.of(extraArguments));
			for (int i = 0; i < masters; i++) {
				cluster.servers.add(RedisServerProcess.start(0, arguments.toArray(String[]::new)));
			}
			cluster.create();
			cluster.awaitReady();
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	/**
	 * The nodes' addresses, as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code 127.0.0.1:<port>} per master
	 */
	public List<String> nodes() {
		return this.servers.stream().map((server) -> server.host() + ":" + server.port()).toList();
	}

	/**
	 * The servers of the cluster, e.g. to stop or kill one.
	 * @return the masters, in the order of {@link #nodes()}
	 */
	public List<RedisServerProcess> servers() {
		return List.copyOf(this.servers);
	}

	/**
	 * The directory holding the output of {@code redis-cli --cluster create}; each server
	 * has its own {@link ServerProcess#workDirectory()}.
	 * @return the directory
	 */
	public Path workDirectory() {
		return this.workDirectory;
	}

	/**
	 * Stops every server and deletes every working directory.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.servers.forEach(RedisServerProcess::close);
		try (Stream<Path> paths = Files.walk(this.workDirectory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			this.logger.debug("Could not delete {}", this.workDirectory, ex);
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + nodes();
	}

	private void create() {
		Path cli = ServerBinaries.locate("redis-cli", CLI_BINARY_VARIABLE, INSTALL_HINT);
		List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
		command.addAll(nodes());
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		Path log = this.workDirectory.resolve("cluster-create.log");
		try {
			Process process = new ProcessBuilder(command).directory(this.workDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish within "
						+ STARTUP_TIMEOUT + ". Its output:\n" + read(log));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("'" + String.join(" ", command) + "' failed with code "
						+ process.exitValue() + ". Its output:\n" + read(log));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating " + this, ex);
		}
	}

	/**
	 * Waits until every node has heard of every other and sees every slot served: before
	 * that, a client may be redirected to a node that refuses the command with
	 * {@code CLUSTERDOWN}.
	 */
	private void awaitReady() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			boolean ready = true;
			for (RedisServerProcess server : this.servers) {
				last = clusterInfo(server);
				if (!last.contains("cluster_state:ok")
						|| !last.contains("cluster_known_nodes:" + this.servers.size() + "\r")) {
					ready = false;
					break;
				}
			}
			if (ready) {
				this.logger.debug("{} is ready", this);
				return;
			}
			ServerProcess.sleep(50);
		}
		throw new IllegalStateException(
				this + " did not reach cluster_state:ok within " + STARTUP_TIMEOUT + ". Last CLUSTER INFO:\n" + last);
	}

	/**
	 * The reply of {@code CLUSTER INFO} (a bulk string), or an empty string when the node
	 * does not answer.
	 */
	private static String clusterInfo(RedisServerProcess server) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(server.host(), server.port()), 500);
			socket.setSoTimeout(2000);
			socket.getOutputStream().write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			StringBuilder header = new StringBuilder();
			for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
				header.append((char) c);
			}
			if (header.length() < 2 || header.charAt(0) != '$') {
				return header.toString();
			}
			int length = Integer.parseInt(header.substring(1).trim());
			byte[] body = in.readNBytes(Math.max(0, length));
			return new String(body, StandardCharsets.US_ASCII);
		}
		catch (IOException | NumberFormatException ex) {
			return "";
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
