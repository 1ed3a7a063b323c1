package io.natsboot.autoconfigure;

import io.natsboot.core.NatsConnectionException;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.jetstream.JetStreamErrors;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that failed on NATS ({@code nats.startup=fail}) into Spring Boot's
 * "APPLICATION FAILED TO START" report: the servers and the root cause as the
 * description, and what to change as the action. Covers servers that cannot be reached,
 * refused credentials, a failed TLS handshake and a durable listener or task worker whose
 * stream does not exist; other failures keep Spring Boot's stack trace.
 */
public class NatsStartupFailureAnalyzer extends AbstractFailureAnalyzer<NatsException> {

	private static final String WAIT = "Or set nats.startup=wait to start without NATS: the application then "
			+ "connects in the background, and health shows the connection as CONNECTING with the last error "
			+ "until it succeeds.";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NatsException cause) {
		NatsConnectionException connect = findCause(rootFailure, NatsConnectionException.class);
		if (connect != null) {
			return analyze(connect);
		}
		NatsJetStreamException jetStream = findCause(rootFailure, NatsJetStreamException.class);
		if (jetStream != null && jetStream.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
			return new FailureAnalysis(
					"A stream that natsboot needs at start-up (nats.startup=fail) does not exist:\n\n    "
							+ jetStream.getMessage(),
					"Create the stream, or declare a NatsStreamDefinition bean for it so that natsboot creates it "
							+ "on every connect. Or set nats.startup=wait: the listener or worker then waits for the "
							+ "stream, and health shows it DOWN until the stream exists.",
					jetStream);
		}
		return null;
	}

	private FailureAnalysis analyze(NatsConnectionException failure) {
		String servers = failure.getServers().isEmpty() ? "the configured servers (nats.servers)"
				: String.join(", ", failure.getServers());
		String reason = (failure.getReason() != null) ? failure.getReason() : String.valueOf(failure.getMessage());
		return switch (failure.getProblem()) {
			case UNREACHABLE -> new FailureAnalysis(description("could not reach", servers, reason),
					"Start a NATS server there, or point nats.servers at a running one (e.g. "
							+ "nats.servers=nats://localhost:4222). " + WAIT,
					failure);
			case CREDENTIALS_REFUSED -> new FailureAnalysis(description("was refused by", servers, reason),
					"Check the credentials against the server's authorization: nats.username and nats.password, "
							+ "nats.token, nats.nkey-seed or nats.credentials. " + WAIT,
					failure);
			case TLS -> new FailureAnalysis(description("could not complete the TLS handshake with", servers, reason),
					"Trust the server's certificate authority in the SSL bundle named by nats.ssl.bundle "
							+ "(spring.ssl.bundle.*), check that the server name matches its certificate, and give "
							+ "a client certificate when the server asks for one (mutual TLS). " + WAIT,
					failure);
			case OTHER -> new FailureAnalysis(description("failed to connect to", servers, reason),
					"Check nats.servers and the connection settings. " + WAIT, failure);
		};
	}

	private static String description(String what, String servers, String reason) {
		return "The application " + what + " NATS at start-up (nats.startup=fail).\n\n    Servers: " + servers
				+ "\n    Cause: " + reason;
	}

}
