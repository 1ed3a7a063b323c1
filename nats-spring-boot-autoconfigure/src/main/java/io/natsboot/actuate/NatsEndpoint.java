package io.natsboot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.api.StreamInfo;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsHealth;
import io.natsboot.core.NatsOperations;
import io.natsboot.core.NatsStatistics;
import io.natsboot.core.NatsThreads;
import io.natsboot.jetstream.JetStreamDescriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code nats} actuator endpoint: the connection (status, server, version,
 * statistics), the application's streams with their consumers, and the sections of every
 * {@link NatsEndpointContributor}.
 * <p>
 * It answers whatever state NATS is in, and within about {@link #SECTION_TIMEOUT}: an
 * operator opens it exactly when NATS is down. While the connection is not established,
 * the sections that need the server are not asked and say {@code {"available": false,
 * "reason": ...}} with the connection's state and last error; a section that fails or
 * does not answer in time says the same with its own reason, and the others are shown as
 * usual.
 */
@Endpoint(id = "nats")
public class NatsEndpoint implements DisposableBean {

	/** How long the sections that ask the server may take together. */
	public static final Duration SECTION_TIMEOUT = Duration.ofSeconds(1);

	private final NatsOperations nats;

	private final List<NatsEndpointContributor> contributors;

	private final Duration sectionTimeout;

	// Sections run here so that a server that stopped answering cannot hold the request
	// for the API timeout; a call that outlives its section ends with that timeout.
	private final ExecutorService sections = Executors.newCachedThreadPool(NatsThreads.daemon("nats-endpoint"));

	/**
	 * Creates the endpoint.
	 * @param nats the operations to describe
	 * @param contributors further sections
	 */
	public NatsEndpoint(NatsOperations nats, List<NatsEndpointContributor> contributors) {
		this(nats, contributors, SECTION_TIMEOUT);
	}

	/**
	 * Creates the endpoint with a time limit of its own.
	 * @param nats the operations to describe
	 * @param contributors further sections
	 * @param sectionTimeout how long the sections that ask the server may take together
	 */
	public NatsEndpoint(NatsOperations nats, List<NatsEndpointContributor> contributors, Duration sectionTimeout) {
		this.nats = nats;
		this.contributors = contributors;
		this.sectionTimeout = sectionTimeout;
	}

	/**
	 * Describes the connection, streams and consumers.
	 * @return the description
	 */
	@ReadOperation
	public Map<String, Object> describe() {
		NatsHealth health = this.nats.health(false); // reads the connection, asks nothing
		boolean connected = health.status() == Connection.Status.CONNECTED;
		String lastError = connected ? null : lastError(health);
		String notConnected = connected ? null
				: "not connected to NATS (" + health.status() + ")" + ((lastError != null) ? ": " + lastError : "");
		// all sections start at once: the answer waits for the slowest, not for the sum
		Future<Object> statistics = submit(() -> describe(this.nats.statistics()));
		Future<Object> streams = (connected && health.jetStream()) ? submit(this::streams) : null;
		Map<String, Future<Object>> contributed = new LinkedHashMap<>();
		for (NatsEndpointContributor contributor : this.contributors) {
			contributed.put(contributor.name(), (notConnected != null && contributor.needsConnection())
					? CompletableFuture.completedFuture(unavailable(notConnected)) : submit(contributor::describe));
		}
		long deadline = System.nanoTime() + this.sectionTimeout.toNanos();

		Map<String, Object> answer = new LinkedHashMap<>();
		Map<String, Object> connection = new LinkedHashMap<>();
		connection.put("status", health.status().name());
		connection.put("server", health.server());
		connection.put("version", health.serverVersion());
		connection.put("jetStream", health.jetStream());
		connection.put("namespace", this.nats.namespace());
		if (lastError != null) {
			connection.put("lastError", lastError);
		}
		connection.put("statistics", await(statistics, deadline, notConnected));
		answer.put("connection", connection);
		if (streams != null) {
			answer.put("streams", await(streams, deadline, notConnected));
		}
		contributed.forEach((name, section) -> answer.put(name, await(section, deadline, notConnected)));
		return answer;
	}

	// the health's error while disconnected is the last connect error when one is known
	private static @Nullable String lastError(NatsHealth health) {
		String error = health.error();
		return (error != null && !error.startsWith("not connected (")) ? error : null;
	}

	@Override
	public void destroy() {
		this.sections.shutdownNow();
	}

	private Future<Object> submit(Callable<Object> section) {
		try {
			return this.sections.submit(section);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.completedFuture(unavailable("the application is shutting down"));
		}
	}

	private Object await(Future<Object> section, long deadline, @Nullable String notConnected) {
		try {
			return section.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			section.cancel(true);
			return unavailable((notConnected != null) ? notConnected
					: "NATS did not answer within " + this.sectionTimeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			// one failing section must never fail the endpoint
			return unavailable((notConnected != null) ? notConnected : NatsFailures.rootMessage(ex.getCause()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			section.cancel(true);
			return unavailable("interrupted");
		}
	}

	/**
	 * The form of a section that cannot be shown.
	 * @param reason why
	 * @return {@code {"available": false, "reason": reason}}
	 */
	static Map<String, Object> unavailable(String reason) {
		Map<String, Object> section = new LinkedHashMap<>();
		section.put("available", false);
		section.put("reason", reason);
		return section;
	}

	private static Map<String, Object> describe(NatsStatistics statistics) {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("inMessages", statistics.inMessages());
		figures.put("outMessages", statistics.outMessages());
		figures.put("inBytes", statistics.inBytes());
		figures.put("outBytes", statistics.outBytes());
		figures.put("reconnects", statistics.reconnects());
		figures.put("droppedMessages", statistics.droppedMessages());
		figures.put("rttMillis", NatsHealthIndicator.millis(statistics.rtt()));
		figures.put("streams", statistics.streams());
		figures.put("consumers", statistics.consumers());
		figures.put("streamMessages", statistics.streamMessages());
		return figures;
	}

	private Object streams() {
		try {
			return this.nats.jetStream().streams().stream().map(this::describe).toList();
		}
		catch (NatsException ex) {
			return unavailable(String.valueOf(ex.getMessage()));
		}
	}

	private Map<String, Object> describe(StreamInfo stream) {
		Map<String, Object> description = new LinkedHashMap<>();
		String name = stream.getConfiguration().getName();
		description.put("name", name);
		description.put("subjects", stream.getConfiguration().getSubjects());
		description.put("messages", stream.getStreamState().getMsgCount());
		description.put("bytes", stream.getStreamState().getByteCount());
		description.put("consumers", consumers(name));
		return description;
	}

	private Object consumers(String stream) {
		try {
			return this.nats.withoutNamespace()
				.jetStream()
				.consumers(stream)
				.stream()
				.map(JetStreamDescriptions::consumer)
				.toList();
		}
		catch (NatsException ex) {
			return unavailable(String.valueOf(ex.getMessage()));
		}
	}

}
