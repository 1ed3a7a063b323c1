package io.natsboot.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.rabbitmq.client.ConnectionFactory;
import io.natsboot.test.ServerBinaryNotFoundException;
import io.natsboot.test.ServerProcess;

/**
 * A RabbitMQ node of its own, started from the installed {@code rabbitmq-server} on free
 * loopback ports (AMQP and Erlang distribution), with its own node name, Erlang cookie,
 * configuration, data and logs in a temporary directory and no plugins. Nothing of a node
 * already running on the machine is read or touched; only epmd, which maps node names to
 * ports, is shared (this node starts one, bound to loopback, when none runs, and like
 * every Erlang node leaves it running). {@link #close()} stops the node cleanly (SIGTERM,
 * which the start script turns into an orderly shutdown), kills whatever of it is left
 * after 15 seconds, and deletes the directory.
 */
final class RabbitMqNode implements AutoCloseable {

	/**
	 * The environment variable (also read as a system property) that names the
	 * {@code rabbitmq-server} script, where it is not found by itself.
	 */
	static final String BINARY_VARIABLE = "RABBITMQ_SERVER_BIN";

	private static final String INSTALL_HINT = "install RabbitMQ ('apt-get install rabbitmq-server' on Debian/Ubuntu, "
			+ "'brew install rabbitmq' on macOS; its system service is not used and may stay stopped) or set "
			+ BINARY_VARIABLE + " to the rabbitmq-server script";

	private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/sbin",
			"/opt/homebrew/sbin");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final AtomicInteger NODES = new AtomicInteger();

	private final String nodeName;

	private final int amqpPort;

	private final Path directory;

	private final Process process;

	private final Thread shutdownHook;

	private RabbitMqNode(Path script) throws IOException {
		int number = NODES.incrementAndGet();
		this.nodeName = "natsboot-bench-" + ProcessHandle.current().pid() + ((number > 1) ? "-" + number : "")
				+ "@localhost";
		this.amqpPort = ServerProcess.findFreePort();
		int distributionPort = ServerProcess.findFreePort();
		this.directory = Files.createTempDirectory("natsboot-bench-rabbitmq-");
		Files.createDirectories(this.directory.resolve("mnesia"));
		Files.createDirectories(this.directory.resolve("log"));
		Files.writeString(this.directory.resolve("rabbitmq.conf"), "log.file.level = warning\n");
		Files.writeString(this.directory.resolve("enabled_plugins"), "[].\n");
		// read by the start script in place of /etc/rabbitmq/rabbitmq-env.conf, which
		// would give the node the system node's name and port
		Files.writeString(this.directory.resolve("rabbitmq-env.conf"), "");
		ProcessBuilder builder = new ProcessBuilder(script.toString()).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
		Map<String, String> environment = builder.environment();
		// no variable of the calling shell may point the node elsewhere, and without
		// RABBITMQ_ALLOW_INPUT the script stops the node cleanly on SIGTERM
		environment.keySet().removeIf((name) -> name.startsWith("RABBITMQ_") || name.startsWith("ERL_"));
		// Erlang keeps its cookie in $HOME: a fresh one, never another node's
		environment.put("HOME", this.directory.toString());
		environment.put("RABBITMQ_NODENAME", this.nodeName);
		environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		environment.put("RABBITMQ_NODE_PORT", String.valueOf(this.amqpPort));
		environment.put("RABBITMQ_DIST_PORT", String.valueOf(distributionPort));
		environment.put("RABBITMQ_MNESIA_BASE", this.directory.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", this.directory.resolve("log").toString());
		environment.put("RABBITMQ_CONFIG_FILE", this.directory.resolve("rabbitmq.conf").toString());
		environment.put("RABBITMQ_ADVANCED_CONFIG_FILE", this.directory.resolve("advanced.config").toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.directory.resolve("enabled_plugins").toString());
		environment.put("RABBITMQ_CONF_ENV_FILE", this.directory.resolve("rabbitmq-env.conf").toString());
		environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
		environment.put("ERL_EPMD_ADDRESS", "127.0.0.1");
		this.process = builder.start();
		this.shutdownHook = new Thread(this::kill, "stop " + this.nodeName);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts a node and waits until it accepts AMQP connections.
	 * @return the running node
	 * @throws ServerBinaryNotFoundException when no {@code rabbitmq-server} is installed
	 * @throws IllegalStateException when the node exits or is not ready within 60
	 * seconds, with the end of its log
	 */
	static RabbitMqNode start() {
		Path script = locateServerScript();
		RabbitMqNode node;
		try {
			node = new RabbitMqNode(script);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + script, ex);
		}
		try {
			node.awaitReady();
		}
		catch (RuntimeException ex) {
			node.close();
			throw ex;
		}
		return node;
	}

	/**
	 * The node's AMQP port on {@code 127.0.0.1}; the user is {@code guest}, who may
	 * connect from loopback only.
	 * @return the port
	 */
	int amqpPort() {
		return this.amqpPort;
	}

	/**
	 * Stops the node, cleanly when it can, and deletes its directory.
	 */
	@Override
	public void close() {
		// taken before the script exits: afterwards its children are no longer its
		// descendants
		List<ProcessHandle> tree = processTree();
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				kill(tree);
			}
			for (ProcessHandle handle : tree) {
				handle.onExit().get(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			kill(tree);
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			kill(tree);
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down and runs the hook anyway
		}
		deleteDirectory();
	}

	@Override
	public String toString() {
		return "RabbitMQ node " + this.nodeName + " on 127.0.0.1:" + this.amqpPort;
	}

	private void awaitReady() {
		ConnectionFactory probe = new ConnectionFactory();
		probe.setHost("127.0.0.1");
		probe.setPort(this.amqpPort);
		probe.setConnectionTimeout(1000);
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this + " exited with code " + this.process.exitValue()
						+ " while starting. Its output ends with:\n" + logTail());
			}
			// the AMQP listener opens at the end of the boot, so a connection is a ready
			// node
			try {
				probe.newConnection("natsboot-bench-probe").close();
				return;
			}
			catch (IOException | TimeoutException ex) {
				sleep(100);
			}
		}
		throw new IllegalStateException(this + " did not accept AMQP connections within " + STARTUP_TIMEOUT
				+ ". Its output ends with:\n" + logTail());
	}

	private List<ProcessHandle> processTree() {
		List<ProcessHandle> tree = new ArrayList<>(this.process.descendants().toList());
		tree.add(this.process.toHandle());
		return tree;
	}

	private void kill() {
		kill(processTree());
	}

	private static void kill(List<ProcessHandle> tree) {
		tree.forEach(ProcessHandle::destroyForcibly);
	}

	private Path logFile() {
		return this.directory.resolve("server.log");
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	private void deleteDirectory() {
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind harms no later run
		}
	}

	/**
	 * The script that runs a node in the foreground. Debian's
	 * {@code /usr/sbin/rabbitmq-server} is a wrapper that runs it as the {@code rabbitmq}
	 * user from {@code /var/lib/rabbitmq}, the system node's home, so the script it wraps
	 * is taken instead.
	 */
	private static Path locateServerScript() {
		String explicit = System.getProperty(BINARY_VARIABLE, System.getenv(BINARY_VARIABLE));
		if (explicit != null && !explicit.isBlank()) {
			Path path = Path.of(explicit);
			if (!Files.isExecutable(path)) {
				throw new ServerBinaryNotFoundException(
						BINARY_VARIABLE + "=" + explicit + " does not name an executable rabbitmq-server");
			}
			return unwrapped(path);
		}
		List<String> directories = new ArrayList<>();
		String searchPath = System.getenv("PATH");
		if (searchPath != null) {
			directories.addAll(List.of(searchPath.split(File.pathSeparator)));
		}
		directories.addAll(SYSTEM_DIRECTORIES);
		for (String directory : directories) {
			Path candidate = Path.of(directory, "rabbitmq-server");
			if (!directory.isEmpty() && Files.isExecutable(candidate)) {
				return unwrapped(candidate);
			}
		}
		throw new ServerBinaryNotFoundException("No rabbitmq-server was found (looked at " + BINARY_VARIABLE
				+ ", the PATH and " + String.join(", ", SYSTEM_DIRECTORIES) + "); RabbitTaskQueueBenchmark starts a "
				+ "RabbitMQ node of its own: " + INSTALL_HINT);
	}

	private static Path unwrapped(Path script) {
		try {
			Path real = script.toRealPath();
			if (real.getFileName().toString().equals("rabbitmq-script-wrapper")) {
				Path wrapped = real.resolveSibling("rabbitmq-server");
				if (Files.isExecutable(wrapped)) {
					return wrapped;
				}
			}
			return script;
		}
		catch (IOException ex) {
			return script;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a RabbitMQ node", ex);
		}
	}

}
