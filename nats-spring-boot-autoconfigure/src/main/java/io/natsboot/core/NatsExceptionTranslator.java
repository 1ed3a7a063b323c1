package io.natsboot.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nats.client.Connection;
import io.natsboot.core.NatsPermissionException.Denied;
import io.natsboot.core.NatsPermissionException.Operation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * The one place where what the NATS server reports only asynchronously becomes exceptions
 * of the calls it concerns (as spring-amqp's {@code RabbitExceptionTranslator} is for
 * RabbitMQ).
 * <p>
 * A permission violation reaches the client only as
 * {@code -ERR 'Permissions Violation for
 * Publish to "x"'} (or {@code for Subscription to "x"}) on the connection's error
 * listener; the call itself just times out, or a subscription receives nothing. This
 * component records the recent violations per subject (at most {@code maxSubjects}
 * subjects, each forgotten after {@code retention}) and, when a call timed out or got no
 * answer, explains it with a {@link NatsPermissionException} if, and only if, a violation
 * for a subject of that call was recorded: for a publish, one that arrived after the call
 * started; for its reply inbox subscription ({@code _INBOX.<id>.*}, which jnats creates
 * once per connection), one since the latest connect, however long ago (the server never
 * lets it receive anything until then). A timeout without such a violation stays a
 * timeout.
 * <p>
 * jnats runs error listeners on its callback thread; before deciding that no violation
 * came, the translator waits until that thread has run everything queued so far (jnats'
 * default callback executor is single-threaded and in order), so an answer never depends
 * on timing. Where the wait is impossible (the caller is that thread) it reads
 * {@link Connection#getLastError()}, which jnats sets before it reads any later reply.
 * <p>
 * It also keeps the latest reason a connect failed ("Authorization Violation", a TLS
 * handshake failure), for health, until the next successful connect. It is fed by the
 * {@link NatsConnectionEventLogger} the auto-configuration installs as jnats' error and
 * connection listener; a translator nobody feeds still checks subscriptions through
 * {@code getLastError()} and otherwise leaves failures as they are.
 */
public class NatsExceptionTranslator {

	/**
	 * How {@link #lastConnectionError()} starts when the latest connect failed in the TLS
	 * handshake.
	 */
	public static final String TLS_FAILURE = "TLS handshake failed: ";

	private static final Pattern VIOLATION = Pattern
		.compile("Permissions Violation for (Publish|Subscription) to \"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

	/**
	 * How long to wait for jnats' callback thread, which is never blocked for long by our
	 * own listeners.
	 */
	private static final long CALLBACK_WAIT_MILLIS = 2000;

	private final Duration retention;

	private final int maxSubjects;

	private final Map<String, Violation> publishes = new LinkedHashMap<>();

	private final Map<String, Violation> subscriptions = new LinkedHashMap<>();

	/**
	 * How many subjects' publishes were refused, read without locking on every publish.
	 */
	private volatile int publishRefusals;

	private volatile @Nullable String connectionProblem;

	private volatile @Nullable Thread callbackThread;

	/**
	 * Creates a translator that keeps violations of up to 256 subjects for one minute.
	 */
	public NatsExceptionTranslator() {
		this(Duration.ofMinutes(1), 256);
	}

	/**
	 * Creates a translator.
	 * @param retention how long a recorded violation explains later failures
	 * @param maxSubjects how many subjects' violations are kept (the oldest go first)
	 */
	public NatsExceptionTranslator(Duration retention, int maxSubjects) {
		this.retention = retention;
		this.maxSubjects = Math.max(1, maxSubjects);
	}

	// fed by the connection's listeners

	/**
	 * Records an error the server sent ({@code -ERR}): a permission violation, or a
	 * reason the connection failed.
	 * @param error the error text as jnats reports it
	 */
	public void serverError(String error) {
		this.callbackThread = Thread.currentThread();
		Violation violation = parse(error);
		if (violation == null) {
			this.connectionProblem = error;
			return;
		}
		Map<String, Violation> violations = (violation.denied == Denied.PUBLISH) ? this.publishes : this.subscriptions;
		synchronized (this) {
			violations.remove(violation.subject);
			violations.put(violation.subject, violation);
			if (violations.size() > this.maxSubjects) {
				Iterator<String> oldest = violations.keySet().iterator();
				oldest.next();
				oldest.remove();
			}
			this.publishRefusals = this.publishes.size();
		}
	}

	/**
	 * Records an exception jnats reported, as the reason a connect failed; an empty
	 * timeout after a reason the server gave keeps that reason (jnats reports both for
	 * one refused connect).
	 * @param exception the exception
	 */
	public void connectionException(Exception exception) {
		this.callbackThread = Thread.currentThread();
		Throwable root = NestedExceptionUtils.getMostSpecificCause(exception);
		if (root instanceof TimeoutException && root.getMessage() == null && this.connectionProblem != null) {
			return;
		}
		String message = root.getMessage();
		String problem = root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
		this.connectionProblem = isTls(exception) ? TLS_FAILURE + problem : problem;
	}

	private static boolean isTls(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = (cause.getCause() != cause) ? cause.getCause()
				: null) {
			if (cause instanceof javax.net.ssl.SSLException
					|| cause instanceof java.security.cert.CertificateException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Records a successful connect or reconnect: no connect problem remains, and
	 * subscriptions are made again (their violations, if any, come again).
	 */
	public void connected() {
		this.callbackThread = Thread.currentThread();
		this.connectionProblem = null;
		synchronized (this) {
			this.subscriptions.clear();
		}
	}

	/**
	 * Notes that the current thread runs jnats callbacks, so the translator never waits
	 * for itself.
	 */
	public void onCallbackThread() {
		this.callbackThread = Thread.currentThread();
	}

	/**
	 * Why the latest connect attempt failed, since the last successful connect.
	 * @return the reason (e.g. "Authorization Violation", "SSLHandshakeException: ..."),
	 * or null
	 */
	public @Nullable String lastConnectionError() {
		return this.connectionProblem;
	}

	// translating

	/**
	 * A point in time for {@code since} arguments, taken before a call sends anything.
	 * @return the mark
	 */
	public long mark() {
		return System.nanoTime();
	}

	/**
	 * A mark far enough back to cover a call that has just given up after its timeout,
	 * and a repeat of it: for explaining a failure after the fact.
	 * @param timeout the call's timeout
	 * @return the mark
	 */
	public long markBefore(Duration timeout) {
		return mark() - 2 * timeout.toNanos() - TimeUnit.SECONDS.toNanos(1);
	}

	/**
	 * Refuses a publish to a subject the server refused recently: NATS drops a denied
	 * publish silently, so the first one is only reported (logged, and by the next
	 * {@code flush}); later ones to the same subject fail here, without being sent, until
	 * the violation is {@code retention} old.
	 * @param subject the full subject
	 * @throws NatsPermissionException when a publish to the subject was refused recently
	 */
	public void checkPublish(String subject) {
		if (this.publishRefusals == 0) {
			return; // the common case costs one volatile read
		}
		Violation violation;
		synchronized (this) {
			Violation recorded = this.publishes.get(subject);
			violation = current(recorded);
			if (recorded != null && violation == null) {
				this.publishes.remove(subject);
				this.publishRefusals = this.publishes.size();
			}
		}
		if (violation != null) {
			throw new NatsPermissionException(
					"Permission denied: cannot publish to '" + subject
							+ "': the NATS server refused a publish to it at " + violation.when + " (" + violation.error
							+ "); nothing was sent. Grant the user publish permission on '" + subject + "'",
					subject, Operation.PUBLISH, Denied.PUBLISH, null);
		}
	}

	/**
	 * Whether the server refused any publish within the retention: a cheap guard before
	 * {@link #publishesRefusedSince}.
	 * @return true when a refused publish is recorded
	 */
	public boolean hasRefusedPublishes() {
		return this.publishRefusals > 0;
	}

	/**
	 * The publishes the server refused since a mark, for a flush to report.
	 * @param connection the connection
	 * @param since the mark
	 * @param subjects which subjects concern the caller
	 * @return the subjects refused, oldest first
	 */
	public List<String> publishesRefusedSince(Connection connection, long since, Predicate<String> subjects) {
		awaitCallbacks(connection);
		List<String> refused = new ArrayList<>();
		synchronized (this) {
			for (Violation violation : this.publishes.values()) {
				if (violation.at - since >= 0 && subjects.test(violation.subject)) {
					refused.add(violation.subject);
				}
			}
		}
		return refused;
	}

	/**
	 * Explains a call that timed out or got no answer, waiting first for jnats' pending
	 * callbacks.
	 * @param connection the connection
	 * @param operation what the call was
	 * @param action the call in words, e.g. {@code store key 'a' in bucket 'b'}
	 * @param since the mark taken before the call sent anything
	 * @param subjects the subjects the call publishes to
	 * @param cause the timeout or empty result
	 * @return the permission failure that explains it, or null when none was recorded
	 */
	public @Nullable NatsPermissionException explainNoReply(Connection connection, Operation operation, String action,
			long since, Predicate<String> subjects, @Nullable Throwable cause) {
		boolean waited = awaitCallbacks(connection);
		NatsPermissionException explained = explainRecorded(connection, operation, action, since, subjects, cause);
		if (explained == null && !waited) {
			explained = explainFromLastError(connection, operation, action, subjects, true, cause);
		}
		return explained;
	}

	/**
	 * As {@link #explainNoReply}, without blocking: completes once jnats' pending
	 * callbacks ran.
	 * @param connection the connection
	 * @param operation what the call was
	 * @param action the call in words
	 * @param since the mark taken before the call sent anything
	 * @param subjects the subjects the call publishes to
	 * @param cause the timeout
	 * @return the permission failure that explains it, or null
	 */
	public CompletableFuture<@Nullable NatsPermissionException> explainNoReplyAsync(Connection connection,
			Operation operation, String action, long since, Predicate<String> subjects, @Nullable Throwable cause) {
		CompletableFuture<Void> drained = callbacksDrained(connection);
		if (drained == null) {
			return CompletableFuture
				.completedFuture(explainNoReply(connection, operation, action, since, subjects, cause));
		}
		// never on jnats' callback thread: what callers chain on the request must not
		// hold it up
		return drained.completeOnTimeout(null, CALLBACK_WAIT_MILLIS, TimeUnit.MILLISECONDS)
			.handleAsync((ignored, failure) -> explainRecorded(connection, operation, action, since, subjects, cause));
	}

	/**
	 * Checks that the server accepted a subscription just made: flushes (the server
	 * answers a refused {@code SUB} with {@code -ERR} before the flush's {@code PONG})
	 * and looks for a violation of that subject.
	 * @param connection the connection
	 * @param subject the subject subscribed to
	 * @param since the mark taken before subscribing
	 * @param timeout how long the flush may take
	 * @throws NatsPermissionException when the server refused the subscription
	 */
	public void checkSubscribed(Connection connection, String subject, long since, Duration timeout) {
		if (connection.getStatus() != Connection.Status.CONNECTED) {
			// jnats subscribes when connected; a refusal then is logged and recorded
			return;
		}
		try (NatsPings.Permit permit = NatsPings.acquire(connection, timeout)) {
			connection.flush(timeout);
		}
		catch (TimeoutException ex) {
			return; // no answer says nothing about permissions
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (RuntimeException ex) {
			return;
		}
		boolean waited = awaitCallbacks(connection);
		Violation violation;
		synchronized (this) {
			violation = this.subscriptions.get(subject);
		}
		if (violation == null || violation.at - since < 0) {
			violation = waited ? null : parseIf(connection.getLastError(), Denied.SUBSCRIBE, subject::equals);
		}
		if (violation != null) {
			throw new NatsPermissionException(
					"Permission denied: cannot subscribe to '" + subject
							+ "': the NATS server refused the subscription (" + violation.error
							+ "); grant the user subscribe permission on '" + subject + "'",
					subject, Operation.SUBSCRIBE, Denied.SUBSCRIBE, null);
		}
	}

	private @Nullable NatsPermissionException explainRecorded(Connection connection, Operation operation, String action,
			long since, Predicate<String> subjects, @Nullable Throwable cause) {
		String inboxPrefix = inboxPrefix(connection);
		Violation found = null;
		synchronized (this) {
			for (Violation violation : this.publishes.values()) {
				if (violation.at - since >= 0 && subjects.test(violation.subject)) {
					found = violation;
				}
			}
			if (found == null) {
				for (Violation violation : this.subscriptions.values()) {
					// a refused reply inbox stays refused until the next connect
					// subscribes it again
					if (isReplyInbox(violation.subject, inboxPrefix, since, violation.at)) {
						found = violation;
					}
				}
			}
		}
		return (found != null) ? denied(operation, action, found, cause) : null;
	}

	private @Nullable NatsPermissionException explainFromLastError(Connection connection, Operation operation,
			String action, Predicate<String> subjects, boolean replies, @Nullable Throwable cause) {
		String lastError = connection.getLastError();
		Violation violation = parseIf(lastError, Denied.PUBLISH, subjects);
		if (violation == null && replies) {
			String inboxPrefix = inboxPrefix(connection);
			violation = parseIf(lastError, Denied.SUBSCRIBE, (subject) -> isReplyInbox(subject, inboxPrefix, 0, 0));
		}
		return (violation != null) ? denied(operation, action, violation, cause) : null;
	}

	/**
	 * Whether a refused subscription is one that replies to this call come through:
	 * jnats' reply inbox ({@code _INBOX.<id>.*}, denied for every request since) or, for
	 * calls that subscribe to an inbox of their own (JetStream deliveries), an inbox
	 * refused during the call.
	 */
	private static boolean isReplyInbox(String subject, String inboxPrefix, long since, long at) {
		if (!subject.startsWith(inboxPrefix)) {
			return false;
		}
		return subject.endsWith(".*") || subject.endsWith(".>") || at - since >= 0;
	}

	private NatsPermissionException denied(Operation operation, String action, Violation violation,
			@Nullable Throwable cause) {
		String verb = (violation.denied == Denied.PUBLISH) ? "publish to" : "subscribe to";
		String consequence = (violation.denied == Denied.PUBLISH) ? "the server dropped the message, so "
				: "replies cannot reach this connection, so ";
		return new NatsPermissionException(
				"Permission denied: " + operation.description() + " (" + action
						+ ") failed: the NATS server refused to let this connection " + verb + " '" + violation.subject
						+ "' (" + violation.error + "); " + consequence + "no answer came. Grant the user "
						+ verb.split(" ")[0] + " permission on '" + violation.subject + "'",
				violation.subject, operation, violation.denied, cause);
	}

	private @Nullable Violation current(@Nullable Violation violation) {
		if (violation == null) {
			return null;
		}
		return (System.nanoTime() - violation.at >= this.retention.toNanos()) ? null : violation;
	}

	private static String inboxPrefix(Connection connection) {
		try {
			String prefix = connection.getOptions().getInboxPrefix();
			return (prefix != null) ? prefix : "_INBOX.";
		}
		catch (RuntimeException ex) {
			return "_INBOX.";
		}
	}

	/**
	 * Waits until jnats' callback thread has run what was queued before now.
	 * @return false when that was impossible (called on that thread, or it stayed busy)
	 */
	private boolean awaitCallbacks(Connection connection) {
		CompletableFuture<Void> drained = callbacksDrained(connection);
		if (drained == null) {
			return false;
		}
		try {
			drained.get(CALLBACK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	private @Nullable CompletableFuture<Void> callbacksDrained(Connection connection) {
		// a closed connection's executor is gone; asking jnats for it then would create a
		// new one
		if (Thread.currentThread() == this.callbackThread || connection.getStatus() != Connection.Status.CONNECTED) {
			return null;
		}
		CompletableFuture<Void> drained = new CompletableFuture<>();
		try {
			connection.getOptions().getCallbackExecutor().execute(() -> drained.complete(null));
		}
		catch (RejectedExecutionException | NullPointerException ex) {
			return null;
		}
		return drained;
	}

	private static @Nullable Violation parseIf(@Nullable String error, Denied denied, Predicate<String> subjects) {
		Violation violation = (error != null) ? parse(error) : null;
		return (violation != null && violation.denied == denied && subjects.test(violation.subject)) ? violation : null;
	}

	private static @Nullable Violation parse(String error) {
		Matcher matcher = VIOLATION.matcher(error);
		if (!matcher.find()) {
			return null;
		}
		Denied denied = matcher.group(1).toLowerCase(Locale.ROOT).startsWith("pub") ? Denied.PUBLISH : Denied.SUBSCRIBE;
		return new Violation(denied, matcher.group(2), System.nanoTime(), Instant.now(), error);
	}

	/**
	 * Whether a failure means that no answer came: the kind of failure a refused
	 * permission causes (a timeout, a cancelled request, jnats' "Timeout or no response"
	 * of JetStream calls).
	 * @param failure the failure
	 * @return true for a timeout or an empty answer
	 */
	public static boolean isNoAnswer(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.CancellationException) {
				return true;
			}
			String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
			if (cause instanceof java.io.IOException
					&& (message.contains("timeout") || message.contains("timed out"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a subject has a given token, e.g. a stream or bucket name in a JetStream
	 * API subject.
	 * @param subject the subject
	 * @param token the token
	 * @return true when one of the subject's tokens equals {@code token}
	 */
	public static boolean hasToken(String subject, String token) {
		int start = 0;
		while (start <= subject.length()) {
			int end = subject.indexOf('.', start);
			if (end < 0) {
				end = subject.length();
			}
			if (subject.regionMatches(start, token, 0, token.length()) && end - start == token.length()) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	private record Violation(Denied denied, String subject, long at, Instant when, String error) {
	}

}
