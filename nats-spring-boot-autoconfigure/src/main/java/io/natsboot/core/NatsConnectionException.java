package io.natsboot.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when connecting to NATS fails, e.g. at start-up with {@code nats.startup=fail}.
 * The message names the servers tried (without credentials) and the cause;
 * {@link #getProblem()} and {@link #getReason()} tell them apart for a failure analysis.
 */
public class NatsConnectionException extends NatsException {

	private static final long serialVersionUID = 1L;

	private final List<String> servers;

	private final Problem problem;

	private final @Nullable String reason;

	/**
	 * Creates the exception.
	 * @param message the servers tried and what went wrong
	 * @param cause the underlying failure
	 */
	public NatsConnectionException(String message, @Nullable Throwable cause) {
		this(message, List.of(), Problem.OTHER, null, cause);
	}

	/**
	 * Creates the exception for a connect that failed in a known way.
	 * @param message the servers tried and what went wrong
	 * @param servers the servers tried, credentials masked
	 * @param problem what kind of failure it was
	 * @param reason the root cause as the client heard it (e.g.
	 * {@code ConnectException: Connection refused}, {@code Authorization Violation}), or
	 * null when unknown
	 * @param cause the underlying failure
	 */
	public NatsConnectionException(String message, List<String> servers, Problem problem, @Nullable String reason,
			@Nullable Throwable cause) {
		super(message, cause);
		this.servers = List.copyOf(servers);
		this.problem = problem;
		this.reason = reason;
	}

	/**
	 * The servers tried.
	 * @return their URLs with credentials masked; empty when not known
	 */
	public List<String> getServers() {
		return this.servers;
	}

	/**
	 * What kind of failure it was.
	 * @return the problem
	 */
	public Problem getProblem() {
		return this.problem;
	}

	/**
	 * The root cause as the client heard it.
	 * @return e.g. {@code ConnectException: Connection refused}, or null when unknown
	 */
	public @Nullable String getReason() {
		return this.reason;
	}

	/**
	 * Kinds of connect failure, each with its own remedy.
	 */
	public enum Problem {

		/** No server answered: not running, wrong host or port, a firewall. */
		UNREACHABLE,

		/** A server answered and refused the credentials. */
		CREDENTIALS_REFUSED,

		/** The TLS handshake failed, e.g. the server's certificate is not trusted. */
		TLS,

		/** Anything else, e.g. an interrupted connect. */
		OTHER

	}

}
