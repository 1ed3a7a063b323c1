package io.natsboot.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A real {@code nats-server} on a free loopback port, with JetStream storing into a
 * temporary directory. The binary is taken from {@code NATS_SERVER_BIN} (environment
 * variable or system property), else from the {@code PATH}. Where there is none but a
 * Docker engine answers, the server runs in a container of the {@code NATS_SERVER_IMAGE}
 * image (default {@value #DEFAULT_IMAGE}) on the host's network (Linux), with its working
 * directory mounted at the same path; files that extra configuration names must then lie
 * in {@link #workDirectory()}. {@link #restart()} keeps the port and the JetStream store,
 * so reconnection and durability can be tested.
 *
 * <pre class="code">
 * try (NatsServerProcess nats = NatsServerProcess.builder().config("authorization { token: s3cret }").start()) {
 *     Connection connection = Nats.connect(nats.url());
 * }
 * </pre>
 */
public final class NatsServerProcess extends ServerProcess {

	/**
	 * The environment variable (or system property) that may name the {@code nats-server}
	 * binary.
	 */
	public static final String BINARY_VARIABLE = "NATS_SERVER_BIN";

	/**
	 * The environment variable (or system property) that may name the image of the Docker
	 * fallback.
	 */
	public static final String IMAGE_VARIABLE = "NATS_SERVER_IMAGE";

	/**
	 * The image the Docker fallback runs unless {@code NATS_SERVER_IMAGE} names another.
	 */
	public static final String DEFAULT_IMAGE = "nats:2.10";

	static final String INSTALL_HINT = "nats-server 2.9 or newer: 'apt-get install nats-server' on Debian/Ubuntu, "
			+ "'brew install nats-server' on macOS, or a release from https://github.com/nats-io/nats-server/releases";

	private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

	private final Path binary;

	/** The container's name when the server runs in Docker, else null. */
	private final @Nullable String container;

	private final boolean jetStream;

	private final String extraConfig;

	private final String serverName;

	private volatile @Nullable String version;

	private NatsServerProcess(Builder builder) {
		super(builder.port, builder.startupTimeout, "nats-server");
		Path found;
		String containerName = null;
		try {
			found = ServerBinaries.locate("nats-server", BINARY_VARIABLE, INSTALL_HINT);
		}
		catch (ServerBinaryNotFoundException missing) {
			if (ServerBinaries.isNamedExplicitly(BINARY_VARIABLE)) {
				throw missing;
			}
			found = DockerEngine.fallbackFor(missing);
			containerName = "natsboot-nats-server-" + port() + "-" + System.nanoTime();
		}
		this.binary = found;
		this.container = containerName;
		this.jetStream = builder.jetStream;
		this.extraConfig = builder.config.toString();
		this.serverName = (builder.serverName != null) ? builder.serverName : "natsboot_test_" + port();
		writeConfig();
	}

	/**
	 * Starts a server with the defaults: free port, JetStream on, no authentication.
	 * @return the running server
	 */
	public static NatsServerProcess startDefault() {
		return builder().start();
	}

	/**
	 * Starts describing a server.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The URL clients connect to.
	 * @return {@code nats://127.0.0.1:<port>}
	 */
	public String url() {
		return "nats://" + host() + ":" + port();
	}

	/**
	 * The server's version as it announced it, e.g. {@code 2.9.10}.
	 * @return the version, once the server has started
	 */
	public String version() {
		String current = this.version;
		if (current == null) {
			throw new IllegalStateException(this + " has not started yet");
		}
		return current;
	}

	/**
	 * The server's name ({@code server_name}), by which a cluster names its leaders and
	 * peers.
	 * @return the name
	 */
	public String serverName() {
		return this.serverName;
	}

	/**
	 * The configuration file the server runs with.
	 * @return the file in the working directory
	 */
	public Path configFile() {
		return workDirectory().resolve("nats-server.conf");
	}

	/**
	 * Whether the server runs in a Docker container because no binary was found.
	 * @return true in a container
	 */
	public boolean isInContainer() {
		return this.container != null;
	}

	@Override
	protected List<String> command() {
		if (this.container == null) {
			return List.of(this.binary.toString(), "-c", configFile().toString());
		}
		String directory = workDirectory().toString();
		return List.of(this.binary.toString(), "run", "--rm", "--name", this.container, "--network", "host", "-v",
				directory + ":" + directory, image(), "-c", configFile().toString());
	}

	@Override
	protected void signal(Process process, boolean forcibly) {
		if (this.container != null) {
			DockerEngine.signal(this.binary, this.container, forcibly);
		}
		super.signal(process, forcibly);
	}

	private static String image() {
		String image = System.getProperty(IMAGE_VARIABLE);
		if (image == null || image.isBlank()) {
			image = System.getenv(IMAGE_VARIABLE);
		}
		return (image == null || image.isBlank()) ? DEFAULT_IMAGE : image.trim();
	}

	@Override
	protected boolean isReady() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), 200);
			socket.setSoTimeout(1000);
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String info = reader.readLine();
			if (info == null || !info.startsWith("INFO ")) {
				return false;
			}
			Matcher matcher = VERSION.matcher(info);
			if (matcher.find()) {
				this.version = matcher.group(1);
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void writeConfig() {
		StringBuilder config = new StringBuilder();
		config.append("listen: \"").append(host()).append(':').append(port()).append("\"\n");
		config.append("server_name: ").append(this.serverName).append('\n');
		if (this.jetStream) {
			config.append("jetstream {\n  store_dir: \"")
				.append(workDirectory().resolve("jetstream").toString().replace("\\", "/"))
				.append("\"\n}\n");
		}
		config.append(this.extraConfig).append('\n');
		try {
			Files.writeString(configFile(), config.toString(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + configFile(), ex);
		}
	}

	/**
	 * Describes a {@link NatsServerProcess} before it starts.
	 */
	public static final class Builder {

		private int port;

		private boolean jetStream = true;

		private Duration startupTimeout = Duration.ofMinutes(2);

		private @Nullable String serverName;

		private final StringBuilder config = new StringBuilder();

		private Builder() {
		}

		/**
		 * Listens on a given port instead of a free one.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Names the server (default {@code natsboot_test_<port>}); nodes of a cluster
		 * need distinct names.
		 * @param serverName the name
		 * @return this builder
		 */
		public Builder serverName(String serverName) {
			this.serverName = serverName;
			return this;
		}

		/**
		 * Whether JetStream is enabled (default true), storing into the working
		 * directory.
		 * @param jetStream whether to enable JetStream
		 * @return this builder
		 */
		public Builder jetStream(boolean jetStream) {
			this.jetStream = jetStream;
			return this;
		}

		/**
		 * Appends server configuration, e.g. an {@code authorization}, {@code tls} or
		 * {@code cluster} block. File paths in it should be absolute.
		 * @param snippet configuration in nats-server's format
		 * @return this builder
		 */
		public Builder config(String snippet) {
			this.config.append(snippet).append('\n');
			return this;
		}

		/**
		 * How long the start may take (default 2 minutes, room for the Docker fallback to
		 * pull its image).
		 * @param timeout the start-up timeout
		 * @return this builder
		 */
		public Builder startupTimeout(Duration timeout) {
			this.startupTimeout = timeout;
			return this;
		}

		/**
		 * Creates the server without starting it.
		 * @return the server, stopped
		 */
		public NatsServerProcess build() {
			return new NatsServerProcess(this);
		}

		/**
		 * Creates and starts the server.
		 * @return the running server
		 */
		public NatsServerProcess start() {
			return startOrClose(build());
		}

	}

}
