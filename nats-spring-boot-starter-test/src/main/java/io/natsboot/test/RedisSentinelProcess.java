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
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A real Redis Sentinel ({@code redis-server <config> --sentinel}) on a free loopback
 * port that monitors one master, with a quorum of 1. {@link #startDefault()} also starts
 * that master and {@link #close()} then stops it too. The binary is {@code redis-server},
 * found as by {@link RedisServerProcess}.
 *
 * <pre class="code">
 * try (RedisSentinelProcess sentinel = RedisSentinelProcess.startDefault()) {
 *     // spring.data.redis.sentinel.master = sentinel.masterName()
 *     // spring.data.redis.sentinel.nodes = sentinel.node()
 * }
 * </pre>
 */
public final class RedisSentinelProcess extends ServerProcess {

	/** The master name of {@link #startDefault()}. */
	public static final String DEFAULT_MASTER_NAME = "mymaster";

	private static final String INSTALL_HINT = "'apt-get install redis-server' on Debian/Ubuntu, "
			+ "'brew install redis' on macOS";

	private final Path binary;

	private final RedisServerProcess master;

	private final String masterName;

	private final boolean ownsMaster;

	private RedisSentinelProcess(RedisServerProcess master, String masterName, boolean ownsMaster) {
		super(0, Duration.ofSeconds(30), "redis-sentinel");
		this.binary = ServerBinaries.locate("redis-server", RedisServerProcess.BINARY_VARIABLE, INSTALL_HINT);
		this.master = master;
		this.masterName = masterName;
		this.ownsMaster = ownsMaster;
	}

	/**
	 * Starts a master on a free port and a sentinel monitoring it as
	 * {@value #DEFAULT_MASTER_NAME}.
	 * @return the running sentinel, which knows the master
	 */
	public static RedisSentinelProcess startDefault() {
		RedisServerProcess master = RedisServerProcess.startDefault();
		try {
			return startOrClose(new RedisSentinelProcess(master, DEFAULT_MASTER_NAME, true));
		}
		catch (RuntimeException ex) {
			master.close();
			throw ex;
		}
	}

	/**
	 * Starts a sentinel monitoring a running master; closing the sentinel leaves the
	 * master running.
	 * @param master the master
	 * @param masterName the name clients ask the sentinel for
	 * @return the running sentinel, which knows the master
	 */
	public static RedisSentinelProcess start(RedisServerProcess master, String masterName) {
		return startOrClose(new RedisSentinelProcess(master, masterName, false));
	}

	/**
	 * The monitored master.
	 * @return the master's server
	 */
	public RedisServerProcess master() {
		return this.master;
	}

	/**
	 * The name of the monitored master, as {@code spring.data.redis.sentinel.master}
	 * takes it.
	 * @return the master name
	 */
	public String masterName() {
		return this.masterName;
	}

	/**
	 * The sentinel's address, as {@code spring.data.redis.sentinel.nodes} takes it.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String node() {
		return host() + ":" + port();
	}

	/**
	 * Stops the sentinel and deletes its directory, and the master too when
	 * {@link #startDefault()} started it.
	 */
	@Override
	public synchronized void close() {
		super.close();
		if (this.ownsMaster) {
			this.master.close();
		}
	}

	@Override
	protected List<String> command() {
		// a sentinel rewrites its configuration file, so it lives in the working
		// directory
		Path config = workDirectory().resolve("sentinel.conf");
		String text = String.join("\n", "port " + port(), "bind " + host(), "daemonize no", "dir " + workDirectory(),
				"sentinel monitor " + this.masterName + " " + this.master.host() + " " + this.master.port() + " 1",
				"sentinel down-after-milliseconds " + this.masterName + " 5000",
				"sentinel failover-timeout " + this.masterName + " 10000", "");
		try {
			if (!Files.exists(config)) {
				Files.writeString(config, text, StandardCharsets.UTF_8);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + config, ex);
		}
		return List.of(this.binary.toString(), config.toString(), "--sentinel");
	}

	@Override
	protected boolean isReady() {
		String reply = command("SENTINEL get-master-addr-by-name " + this.masterName);
		return reply != null && reply.contains("\r\n" + this.master.port() + "\r\n");
	}

	private @Nullable String command(String command) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host(), port()), 200);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[256];
			int read = in.read(reply);
			return (read > 0) ? new String(reply, 0, read, StandardCharsets.US_ASCII) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + host() + ":" + port() + " monitoring " + this.masterName + " at "
				+ this.master.host() + ":" + this.master.port() + "]";
	}

}
