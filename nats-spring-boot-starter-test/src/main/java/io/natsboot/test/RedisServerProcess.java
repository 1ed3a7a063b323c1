package io.natsboot.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} on a free loopback port that keeps nothing on disk. The
 * binary is taken from {@code REDIS_SERVER_BIN} (environment variable or system
 * property), else from the {@code PATH}.
 *
 * <pre class="code">
 * try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
 *     // spring.data.redis.port = redis.port()
 * }
 * </pre>
 */
public final class RedisServerProcess extends ServerProcess {

	/**
	 * The environment variable (or system property) that may name the
	 * {@code redis-server} binary.
	 */
	public static final String BINARY_VARIABLE = "REDIS_SERVER_BIN";

	private static final String INSTALL_HINT = "'apt-get install redis-server' on Debian/Ubuntu, "
			+ "'brew install redis' on macOS";

	private final Path binary;

	private final List<String> extraArguments;

	private RedisServerProcess(int port, List<String> extraArguments) {
		super(port, Duration.ofSeconds(30), "redis-server");
		this.binary = ServerBinaries.locate("redis-server", BINARY_VARIABLE, INSTALL_HINT);
		this.extraArguments = List.copyOf(extraArguments);
	}

	/**
	 * Starts a server on a free port.
	 * @return the running server
	 */
	public static RedisServerProcess startDefault() {
		return start(0);
	}

	/**
	 * Starts a server with extra command-line arguments, e.g.
	 * {@code "--notify-keyspace-events", "Ex"}.
	 * @param port the port, or 0 for a free one
	 * @param extraArguments arguments appended to the command line
	 * @return the running server
	 */
	public static RedisServerProcess start(int port, String... extraArguments) {
		return startOrClose(new RedisServerProcess(port, List.of(extraArguments)));
	}

	/**
	 * The URL clients connect to.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String url() {
		return "redis://" + host() + ":" + port();
	}

	@Override
	protected List<String> command() {
		List<String> command = new ArrayList<>(
				List.of(this.binary.toString(), "--bind", host(), "--port", String.valueOf(port()), "--save", "",
						"--appendonly", "no", "--dir", workDirectory().toString(), "--daemonize", "no"));
		command.addAll(this.extraArguments);
		return command;
	}

	@Override
	protected boolean isReady() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), 200);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
