package io.natsboot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;

/**
 * A server run as a child process on a free loopback port, with its own working
 * directory. The port and the working directory (and so any data stored there) survive
 * {@link #stop()} and {@link #restart()}; {@link #close()} stops the process and deletes
 * the directory.
 */
public abstract class ServerProcess implements AutoCloseable {

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private final int port;

	private final Path workDirectory;

	private final Duration startupTimeout;

	private @Nullable Process process;

	/**
	 * Kills the server if the JVM exits without stopping it, so no test leaves a server
	 * behind.
	 */
	private @Nullable Thread shutdownHook;

	/**
	 * {@code setsid} (util-linux), which runs a program in a session of its own; null
	 * where there is none (macOS).
	 */
	private static final @Nullable String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
		.filter((candidate) -> Files.isExecutable(Path.of(candidate)))
		.findFirst()
		.orElse(null);

	/**
	 * Whether Spring Boot's shutdown handlers stop the server, after the application
	 * contexts have closed, instead of a JVM shutdown hook of its own.
	 */
	private boolean stoppedAfterApplications;

	private boolean closed;

	/**
	 * Creates the process description; nothing is started yet.
	 * @param port the port, or 0 for a free one
	 * @param startupTimeout how long a start may take before it fails
	 * @param name a short name for the working directory
	 */
	protected ServerProcess(int port, Duration startupTimeout, String name) {
		this.port = (port > 0) ? port : findFreePort();
		this.startupTimeout = startupTimeout;
		try {
			this.workDirectory = Files.createTempDirectory(name + "-" + this.port + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a working directory for " + name, ex);
		}
	}

	/**
	 * The command line that starts the server.
	 * @return the command and its arguments
	 */
	protected abstract List<String> command();

	/**
	 * Whether the server answers on its port like a ready server of its kind.
	 * @return true once clients can use it
	 */
	protected abstract boolean isReady();

	/**
	 * Starts the server and waits until it is ready.
	 * @throws IllegalStateException when it exits or is not ready within the start-up
	 * timeout, with the end of its log
	 */
	public synchronized void start() {
		if (this.closed) {
			throw new IllegalStateException(this + " is closed");
		}
		if (isRunning()) {
			return;
		}
		ProcessBuilder builder = new ProcessBuilder(launchCommand()).directory(this.workDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
		try {
			this.process = builder.start();
			Process started = this.process;
			if (!this.stoppedAfterApplications) {
				this.shutdownHook = new Thread(started::destroyForcibly, "stop " + this);
				Runtime.getRuntime().addShutdownHook(this.shutdownHook);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + String.join(" ", command()), ex);
		}
		long deadline = System.nanoTime() + this.startupTimeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this + " exited with code " + this.process.exitValue()
						+ " while starting. Its log ends with:\n" + logTail());
			}
			if (isReady()) {
				this.logger.debug("{} is ready", this);
				return;
			}
			sleep(20);
		}
		stop();
		throw new IllegalStateException(
				this + " was not ready within " + this.startupTimeout + ". Its log ends with:\n" + logTail());
	}

	/**
	 * Starts a server, closing it (and deleting its directory) when it does not come up.
	 * @param <S> the kind of server
	 * @param server the server, not started
	 * @return the running server
	 */
	protected static <S extends ServerProcess> S startOrClose(S server) {
		try {
			server.start();
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Stops the server gracefully (SIGTERM), forcibly if it does not exit within 10
	 * seconds. Its port and data are kept for a later {@link #start()}.
	 */
	public synchronized void stop() {
		terminate(false);
	}

	/**
	 * Kills the server at once (SIGKILL), as a crash would, keeping its port and data.
	 */
	public synchronized void kill() {
		terminate(true);
	}

	/**
	 * Stops the server and starts it again on the same port with the same data.
	 */
	public synchronized void restart() {
		stop();
		start();
	}

	/**
	 * Whether the server process is alive.
	 * @return true while it runs
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * The port the server listens on (the same across restarts).
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The loopback host the server listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * The server's working directory (configuration, data and log).
	 * @return the directory
	 */
	public Path workDirectory() {
		return this.workDirectory;
	}

	/**
	 * The file the server's output goes to.
	 * @return the log file
	 */
	public Path logFile() {
		return this.workDirectory.resolve("server.log");
	}

	/**
	 * Makes the server outlive the Spring applications of this JVM at shutdown, for a
	 * development-time server that lives as long as an application. Otherwise two things
	 * stop it before the applications have drained and closed their connections (each
	 * then logs a lost connection): a JVM shutdown hook of its own, which runs at the
	 * same time as Spring Boot's, and, at Ctrl-C, the terminal, which signals every
	 * process of the foreground group, the server too. So the server is stopped by Spring
	 * Boot's shutdown handlers instead, which run after every application context has
	 * closed, and it runs in a session of its own ({@code setsid}, where there is one),
	 * out of the terminal's reach. Call it before {@link #start()}; a server already
	 * running is restarted into its own session (same port and store).
	 * @return this process
	 */
	public synchronized ServerProcess stopAfterApplicationsClose() {
		if (!this.stoppedAfterApplications) {
			this.stoppedAfterApplications = true;
			removeShutdownHook();
			SpringApplication.getShutdownHandlers().add(this::close);
			if (isRunning() && SETSID != null) {
				stop();
				start();
			}
		}
		return this;
	}

	private List<String> launchCommand() {
		List<String> command = command();
		if (!this.stoppedAfterApplications || SETSID == null) {
			return command;
		}
		List<String> detached = new ArrayList<>(command.size() + 1);
		detached.add(SETSID);
		detached.addAll(command);
		return detached;
	}

	/**
	 * Stops the server and deletes its working directory.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		stop();
		this.closed = true;
		try (Stream<Path> paths = Files.walk(this.workDirectory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			this.logger.debug("Could not delete {}", this.workDirectory, ex);
		}
	}

	/**
	 * The last lines of the server's log, for error messages.
	 * @return up to 30 lines
	 */
	protected String logTail() {
		try {
			List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private void terminate(boolean forcibly) {
		Process running = this.process;
		if (running == null) {
			return;
		}
		signal(running, forcibly);
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			running.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
		removeShutdownHook();
	}

	private void removeShutdownHook() {
		Thread hook = this.shutdownHook;
		this.shutdownHook = null;
		if (hook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down and runs the hook anyway
			}
		}
	}

	/**
	 * Asks the server to stop: SIGTERM, or SIGKILL when {@code forcibly}.
	 * @param process the running process
	 * @param forcibly whether to kill it at once
	 */
	protected void signal(Process process, boolean forcibly) {
		if (forcibly) {
			process.destroyForcibly();
		}
		else {
			process.destroy();
		}
	}

	/**
	 * A port that is free on the loopback interface now, e.g. for a server's monitoring
	 * or cluster listener.
	 * @return the port
	 */
	public static int findFreePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on the loopback interface", ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a server", ex);
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + host() + ":" + this.port + "]";
	}

}
