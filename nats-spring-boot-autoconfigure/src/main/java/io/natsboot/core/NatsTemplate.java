package io.natsboot.core;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.observation.Observation;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.natsboot.observation.DefaultNatsTemplateObservationConvention;
import io.natsboot.observation.NatsPublishContext;
import io.natsboot.observation.NatsTemplateObservation;
import io.natsboot.observation.NatsTemplateObservationConvention;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.log.LogAccessor;

/**
 * The central class for messaging on NATS: publish, request-reply and subscriptions on
 * the application's {@link Connection}, with subjects in its namespace
 * ({@code nats.namespace}) and payloads converted by a {@link NatsMessageConverter}.
 * Thread-safe; auto-configured as a bean.
 *
 * <pre class="code">
 * template.publish("orders.created", order);                         // JSON
 * Invoice invoice = template.requestAndConvert("billing.invoice", order, Invoice.class);
 * template.subscribe("orders.*", "order-workers", (message) -> handle(message.payloadAs(Order.class)));
 * </pre>
 */
public class NatsTemplate implements NatsOperations {

	private static final LogAccessor logger = new LogAccessor(NatsTemplate.class);

	private final Connection connection;

	private final NatsMessageConverter converter;

	private final NatsSubjectResolver subjects;

	private final Duration defaultRequestTimeout;

	private final NatsMetricsRecorder metrics;

	private final JetStreamOptions jetStreamOptions;

	private final JetStreamOperationsFactory jetStreamFactory;

	private final JetStreamOperations jetStream;

	private final Map<String, ObjectStoreOperations> objectStores = new ConcurrentHashMap<>();

	private final NatsExceptionTranslator translator;

	private final ObservationSettings<NatsTemplateObservationConvention> observations;

	/**
	 * The subscriptions still going, by full subject; shared with the
	 * {@link #withoutNamespace()} view, which subscribes on the same connection.
	 */
	private final Map<String, Set<NatsSubscription>> subscriptions;

	/**
	 * Where the latest flush started looking for refused publishes, so each flush reports
	 * the ones since.
	 */
	private volatile long refusalsCheckedUpTo;

	/**
	 * The established connection behind a deferred one, once known; skips the proxy on
	 * hot paths.
	 */
	private volatile Connection target;

	/**
	 * Creates a template.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects resolves subjects in the namespace
	 * @param defaultRequestTimeout the timeout of requests that name none
	 * @param metrics records what the template does
	 * @param jetStreamOptions the JetStream domain, API prefix and request timeout
	 * @param translator the translator the connection's error listener feeds, which turns
	 * timeouts the server caused by refusing a permission into
	 * {@link NatsPermissionException}s
	 * @param jetStreamFactory makes the operations {@link #jetStream()} and
	 * {@link #objectStore(String)} return (the auto-configuration passes
	 * {@code io.natsboot.jetstream.JetStreamTemplates})
	 */
	public NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout, NatsMetricsRecorder metrics, JetStreamOptions jetStreamOptions,
			NatsExceptionTranslator translator, JetStreamOperationsFactory jetStreamFactory) {
		this(connection, converter, subjects, defaultRequestTimeout, metrics, jetStreamOptions, translator,
				jetStreamFactory, ObservationSettings.off());
	}

	/**
	 * Creates a template whose publishes and requests are observed (and carry the trace
	 * context in their headers).
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects resolves subjects in the namespace
	 * @param defaultRequestTimeout the timeout of requests that name none
	 * @param metrics records what the template does
	 * @param jetStreamOptions the JetStream domain, API prefix and request timeout
	 * @param translator the translator the connection's error listener feeds
	 * @param jetStreamFactory makes the operations {@link #jetStream()} and
	 * {@link #objectStore(String)} return
	 * @param observations the registry and convention of {@link NatsTemplateObservation}s
	 */
	public NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout, NatsMetricsRecorder metrics, JetStreamOptions jetStreamOptions,
			NatsExceptionTranslator translator, JetStreamOperationsFactory jetStreamFactory,
			ObservationSettings<NatsTemplateObservationConvention> observations) {
		this(connection, converter, subjects, defaultRequestTimeout, metrics, jetStreamOptions, translator,
				jetStreamFactory, observations, new ConcurrentHashMap<>());
	}

	private NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout, NatsMetricsRecorder metrics, JetStreamOptions jetStreamOptions,
			NatsExceptionTranslator translator, JetStreamOperationsFactory jetStreamFactory,
			ObservationSettings<NatsTemplateObservationConvention> observations,
			Map<String, Set<NatsSubscription>> subscriptions) {
		this.observations = observations;
		this.subscriptions = subscriptions;
		this.translator = translator;
		this.refusalsCheckedUpTo = translator.mark();
		this.jetStreamOptions = jetStreamOptions;
		this.metrics = metrics;
		this.connection = connection;
		this.target = connection;
		this.converter = converter;
		this.subjects = subjects;
		this.defaultRequestTimeout = defaultRequestTimeout;
		this.jetStreamFactory = jetStreamFactory;
		this.jetStream = jetStreamFactory.jetStream(connection, converter, subjects, jetStreamOptions, translator);
	}

	@Override
	public void publish(String subject, byte[] payload) {
		if (this.observations.isOn()) {
			send(subject, null, null, payload);
			return;
		}
		String fullSubject = this.subjects.forPublish(subject);
		Connection conn = connection();
		try {
			this.translator.checkPublish(fullSubject);
			// jnats checks the size against the server's max payload before anything is
			// sent
			conn.publish(fullSubject, payload);
		}
		catch (RuntimeException ex) {
			throw failed(subject, "publish", translate(ex, "publish to", fullSubject, conn, payload.length));
		}
		this.metrics.published(subject, payload.length);
	}

	@Override
	public void publish(String subject, String payload) {
		publish(subject, this.converter.write(payload, subject));
	}

	@Override
	public void publish(String subject, Object payload) {
		if (payload instanceof byte[] bytes) {
			publish(subject, bytes);
			return;
		}
		publish(subject, this.converter.write(payload, subject));
	}

	private void publish(String subject, NatsMessageConverter.Payload payload) {
		send(subject, null, contentTypeHeaders(null, payload), payload.data());
	}

	@Override
	public void publish(NatsMessage message) {
		send(message.subject(), message.replyTo(), message.nativeHeaders(), message.payload());
	}

	private void send(String subject, @Nullable String replyTo, @Nullable Headers headers, byte[] data) {
		String fullSubject = this.subjects.forPublish(subject);
		ObservationSettings<NatsTemplateObservationConvention> observed = this.observations;
		if (!observed.isOn()) {
			send(subject, fullSubject, replyTo, headers, data);
			return;
		}
		NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.PUBLISH, fullSubject, headers);
		Observation observation = NatsTemplateObservation.PUBLISH.start(observed.convention(),
				DefaultNatsTemplateObservationConvention.INSTANCE, () -> context, observed.registry());
		try {
			send(subject, fullSubject, replyTo, context.getHeaders(), data);
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private void send(String subject, String fullSubject, @Nullable String replyTo, @Nullable Headers headers,
			byte[] data) {
		Connection conn = connection();
		try {
			this.translator.checkPublish(fullSubject);
			NatsPayloadLimit.check(conn, () -> "a message to '" + fullSubject + "'", headers, data);
			conn.publish(fullSubject, replyTo, headers, data);
		}
		catch (RuntimeException ex) {
			throw failed(subject, "publish", translate(ex, "publish to", fullSubject, conn, data.length));
		}
		this.metrics.published(subject, data.length);
	}

	private RuntimeException failed(String subject, String operation, RuntimeException ex) {
		this.metrics.failed(subject, operation, ex);
		return ex;
	}

	@Override
	public PublishBatchResult publishBatch(List<NatsMessage> messages) {
		List<PublishBatchResult.Failure> failures = new ArrayList<>();
		List<Integer> sent = new ArrayList<>();
		long since = this.translator.mark();
		for (int i = 0; i < messages.size(); i++) {
			NatsMessage message = messages.get(i);
			try {
				publish(message);
				sent.add(i);
			}
			catch (RuntimeException ex) {
				failures.add(new PublishBatchResult.Failure(i, message.subject(), ex));
			}
		}
		int published = sent.size();
		if (published > 0 && isConnected()) {
			try {
				flushConnection(this.defaultRequestTimeout);
				// the flush's PONG follows the server's refusals of anything sent before
				// it
				List<String> refused = this.translator.publishesRefusedSince(connection(), since, (subject) -> true);
				for (int i : sent) {
					String fullSubject = this.subjects.forPublish(messages.get(i).subject());
					if (refused.contains(fullSubject)) {
						failures.add(new PublishBatchResult.Failure(i, messages.get(i).subject(),
								refusedPublish(fullSubject)));
						published--;
					}
				}
				failures.sort(java.util.Comparator.comparingInt(PublishBatchResult.Failure::index));
			}
			catch (NatsException ex) {
				// the messages are with the connection already; report, do not make
				// callers send them again
				logger.warn(ex, () -> "The server did not confirm the batch of " + messages.size() + " in time");
			}
		}
		return new PublishBatchResult(published, List.copyOf(failures));
	}

	@Override
	public NatsMessage request(String subject, Object payload, Duration timeout) {
		CompletableFuture<NatsMessage> reply = requestAsync(subject, payload, timeout);
		try {
			return reply.get();
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new NatsException("Request to '" + subject + "' failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reply.cancel(true);
			throw new NatsException("Interrupted while waiting for a reply from '" + subject + "'", ex);
		}
	}

	@Override
	public CompletableFuture<NatsMessage> requestAsync(String subject, Object payload, Duration timeout) {
		String fullSubject = this.subjects.forPublish(subject);
		CompletableFuture<Message> reply;
		Connection conn = connection();
		int size = 0;
		long since = this.translator.mark();
		Observation observation = Observation.NOOP;
		try {
			NatsMessageConverter.Payload converted = (payload instanceof NatsMessage message)
					? new NatsMessageConverter.Payload(message.payload(), null)
					: this.converter.write(payload, subject);
			Headers headers = contentTypeHeaders(
					(payload instanceof NatsMessage message) ? message.nativeHeaders() : null, converted);
			size = converted.data().length;
			NatsPublishContext context = null;
			ObservationSettings<NatsTemplateObservationConvention> observed = this.observations;
			if (observed.isOn()) {
				NatsPublishContext request = new NatsPublishContext(NatsTemplateObservation.REQUEST, fullSubject,
						headers);
				context = request;
				observation = NatsTemplateObservation.REQUEST.start(observed.convention(),
						DefaultNatsTemplateObservationConvention.INSTANCE, () -> request, observed.registry());
			}
			Headers sent = (context != null) ? context.getHeaders() : headers;
			// checked before jnats registers the request, which would otherwise wait for
			// its sweep
			NatsPayloadLimit.check(conn, () -> "a request to '" + fullSubject + "'", sent, converted.data());
			reply = conn.requestWithTimeout(fullSubject, sent, converted.data(), timeout);
		}
		catch (RuntimeException ex) {
			// conversion, size and connection failures reach async callers through the
			// future too
			RuntimeException failure = failed(subject, "request",
					translate(ex, "send a request to", fullSubject, conn, size));
			observation.error(failure);
			observation.stop();
			return CompletableFuture.failedFuture(failure);
		}
		Observation requestObservation = observation;
		long start = System.nanoTime();
		// jnats only sweeps timed-out requests every few seconds; time out exactly here.
		CompletableFuture<NatsMessage> answered = reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.exceptionallyCompose((failure) -> explainTimeout(conn, fullSubject, since, failure))
			.handle((message, failure) -> {
				try {
					NatsMessage answer = completeReply(message, failure, fullSubject, timeout);
					this.metrics.requestCompleted(subject, System.nanoTime() - start, "success");
					if (requestObservation.getContext() instanceof NatsPublishContext context) {
						context.setResponse(answer);
					}
					return answer;
				}
				catch (RuntimeException ex) {
					this.metrics.requestCompleted(subject, System.nanoTime() - start, outcome(ex));
					requestObservation.error(ex);
					throw ex;
				}
				finally {
					requestObservation.stop();
				}
			});
		// a caller that cancels or times out what it gets must not keep the stage that
		// stops the observation from running
		return (requestObservation != Observation.NOOP) ? answered.copy() : answered;
	}

	/**
	 * A request that timed out because the server refused its publish or its reply inbox
	 * fails with a {@link NatsPermissionException} instead; any other failure stays as it
	 * is.
	 */
	private CompletableFuture<Message> explainTimeout(Connection conn, String fullSubject, long since,
			Throwable failure) {
		Throwable cause = NatsFailures.futureCause(failure);
		if (!(cause instanceof TimeoutException || cause instanceof CancellationException)) {
			return CompletableFuture.failedFuture(failure);
		}
		return this.translator
			.explainNoReplyAsync(conn, NatsPermissionException.Operation.REQUEST, "request to '" + fullSubject + "'",
					since, fullSubject::equals, cause)
			.thenCompose((denied) -> CompletableFuture.failedFuture((denied != null) ? denied : failure));
	}

	private static String outcome(RuntimeException ex) {
		if (ex instanceof NatsPermissionException) {
			return "permission_denied";
		}
		if (ex instanceof NatsRequestTimeoutException) {
			return "timeout";
		}
		if (ex instanceof NatsNoRespondersException) {
			return "no_responders";
		}
		return (ex instanceof NatsServiceErrorException) ? "service_error" : "error";
	}

	private NatsMessage completeReply(@Nullable Message message, @Nullable Throwable failure, String fullSubject,
			Duration timeout) {
		if (failure != null) {
			throw translateRequestFailure(failure, fullSubject, timeout);
		}
		String error = (message.hasHeaders()) ? message.getHeaders().getFirst(NatsHeaders.SERVICE_ERROR) : null;
		if (error != null) {
			throw new NatsServiceErrorException(fullSubject,
					parseCode(message.getHeaders().getFirst(NatsHeaders.SERVICE_ERROR_CODE)), error);
		}
		return NatsMessage.received(message, this.subjects, this.converter);
	}

	private static RuntimeException translateRequestFailure(Throwable failure, String fullSubject, Duration timeout) {
		Throwable cause = NatsFailures.futureCause(failure);
		if (cause instanceof TimeoutException || cause instanceof CancellationException) {
			return new NatsRequestTimeoutException("No reply from '" + fullSubject + "' within " + timeout, cause);
		}
		if (cause instanceof io.nats.client.JetStreamStatusException) {
			return new NatsNoRespondersException("No responders on '" + fullSubject + "': nobody listens there", cause);
		}
		if (cause instanceof RuntimeException runtime && cause instanceof NatsException) {
			return runtime;
		}
		return new NatsException("Request to '" + fullSubject + "' failed: " + cause.getMessage(), cause);
	}

	private static int parseCode(@Nullable String code) {
		try {
			return (code != null) ? Integer.parseInt(code.trim()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	@Override
	public <T> @Nullable T requestAndConvert(String subject, Object payload, Class<T> replyType) {
		return requestAndConvert(subject, payload, replyType, this.defaultRequestTimeout);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T requestAndConvert(String subject, Object payload, Class<T> replyType, Duration timeout) {
		return (T) convertReply(request(subject, payload, timeout), replyType);
	}

	@Override
	public <T> @Nullable T requestAndConvert(String subject, Object payload, ParameterizedTypeReference<T> replyType) {
		return requestAndConvert(subject, payload, replyType, this.defaultRequestTimeout);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T requestAndConvert(String subject, Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout) {
		return (T) convertReply(request(subject, payload, timeout), replyType.getType());
	}

	private @Nullable Object convertReply(NatsMessage reply, Type type) {
		return this.converter.read(reply.payload(), reply.header(NatsHeaders.CONTENT_TYPE), type, reply.subject());
	}

	@Override
	public NatsSubscription subscribe(String subject, NatsMessageHandler handler) {
		return doSubscribe(subject, null, handler, null);
	}

	@Override
	public NatsSubscription subscribe(String subject, String queueGroup, NatsMessageHandler handler) {
		return doSubscribe(subject, NatsSubjectResolver.checkQueueGroup(queueGroup, subject), handler, null);
	}

	@Override
	public NatsSubscription subscribe(String subject, NatsMessageHandler handler, Duration timeout) {
		return doSubscribe(subject, null, handler,
				NatsTimeouts.checkPositive(timeout, "the subscription to '" + subject + "'"));
	}

	@Override
	public NatsSubscription subscribe(String subject, String queueGroup, NatsMessageHandler handler, Duration timeout) {
		return doSubscribe(subject, NatsSubjectResolver.checkQueueGroup(queueGroup, subject), handler,
				NatsTimeouts.checkPositive(timeout, "the subscription to '" + subject + "'"));
	}

	@Override
	public int unsubscribe(String subject) {
		Set<NatsSubscription> current = this.subscriptions.get(this.subjects.forSubscribe(subject));
		if (current == null) {
			return 0;
		}
		int ended = 0;
		for (NatsSubscription subscription : List.copyOf(current)) {
			// one that ended after its message count is no longer going: not counted
			if (subscription.isActive()) {
				ended++;
			}
			subscription.unsubscribe();
		}
		return ended;
	}

	private NatsSubscription doSubscribe(String subject, @Nullable String queueGroup, NatsMessageHandler handler,
			@Nullable Duration timeout) {
		String fullSubject = this.subjects.forSubscribe(subject);
		Dispatcher dispatcher = null;
		try {
			long since = this.translator.mark();
			dispatcher = this.connection.createDispatcher();
			MessageHandler dispatching = (message) -> dispatch(message, handler);
			Subscription subscription = (queueGroup != null)
					? dispatcher.subscribe(fullSubject, queueGroup, dispatching)
					: dispatcher.subscribe(fullSubject, dispatching);
			// the server refuses a subscription only asynchronously: ask now rather than
			// receive nothing
			this.translator.checkSubscribed(this.connection, fullSubject, since, this.defaultRequestTimeout);
			NatsSubscription made = new NatsSubscription(this.connection, fullSubject, dispatcher, subscription,
					this::forget);
			remember(made);
			if (timeout != null) {
				made.endAfter(timeout);
			}
			return made;
		}
		catch (NatsPermissionException ex) {
			closeQuietly(dispatcher);
			this.metrics.failed(subject, "subscribe", ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			throw translate(ex, "subscribe to", fullSubject);
		}
	}

	private void remember(NatsSubscription subscription) {
		this.subscriptions.compute(subscription.subject(), (subject, known) -> {
			Set<NatsSubscription> going = (known != null) ? known : ConcurrentHashMap.newKeySet();
			// those that ended after a message count never say so: drop them here
			going.removeIf((other) -> !other.isActive());
			going.add(subscription);
			return going;
		});
	}

	private void forget(NatsSubscription subscription) {
		this.subscriptions.computeIfPresent(subscription.subject(), (subject, known) -> {
			known.remove(subscription);
			return known.isEmpty() ? null : known;
		});
	}

	private void closeQuietly(@Nullable Dispatcher dispatcher) {
		if (dispatcher != null) {
			try {
				this.connection.closeDispatcher(dispatcher);
			}
			catch (RuntimeException ex) {
				logger.debug(ex, () -> "Could not close a dispatcher");
			}
		}
	}

	private void dispatch(Message message, NatsMessageHandler handler) {
		NatsMessage received = NatsMessage.received(message, this.subjects, this.converter);
		this.metrics.received(received.originalSubject(), NatsMetricsRecorder.SUBSCRIPTION);
		try {
			handler.onMessage(received);
		}
		catch (Throwable ex) {
			// One failing message must never end the subscription.
			this.metrics.failed(received.originalSubject(), "handle", ex);
			logger.error(ex,
					() -> "Handler for subject '" + message.getSubject() + "' failed; the subscription goes on");
		}
	}

	@Override
	public JetStreamOperations jetStream() {
		return this.jetStream;
	}

	@Override
	public ObjectStoreOperations objectStore(String bucket) {
		return this.objectStores.computeIfAbsent(this.subjects.forName(bucket), (name) -> this.jetStreamFactory
			.objectStore(this.connection, name, this.jetStreamOptions, this.translator));
	}

	@Override
	public NatsOperations withoutNamespace() {
		return new NatsTemplate(this.connection, this.converter, NatsSubjectResolver.none(), this.defaultRequestTimeout,
				this.metrics, this.jetStreamOptions, this.translator, this.jetStreamFactory, this.observations,
				this.subscriptions);
	}

	@Override
	public String namespace() {
		return this.subjects.namespace();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * NATS drops a publish the user may not make without telling the call; the flush's
	 * answer comes after the server's refusals of everything published before it, so the
	 * flush reports them: it throws a {@link NatsPermissionException} naming the first
	 * subject (in this template's namespace) whose publish the server refused since the
	 * previous flush.
	 */
	@Override
	public void flush(Duration timeout) {
		long from = this.refusalsCheckedUpTo;
		flushConnection(timeout);
		this.refusalsCheckedUpTo = this.translator.mark();
		String prefix = this.subjects.namespace().isEmpty() ? "" : this.subjects.namespace() + ".";
		List<String> refused = this.translator.publishesRefusedSince(connection(), from,
				(subject) -> subject.startsWith(prefix));
		if (!refused.isEmpty()) {
			NatsPermissionException first = refusedPublish(refused.get(0));
			throw (refused.size() == 1) ? first
					: new NatsPermissionException(
							first.getMessage() + " (and " + (refused.size() - 1) + " more subjects: "
									+ refused.subList(1, refused.size()) + ")",
							first.getSubject(), NatsPermissionException.Operation.PUBLISH,
							NatsPermissionException.Denied.PUBLISH, null);
		}
	}

	private static NatsPermissionException refusedPublish(String fullSubject) {
		return new NatsPermissionException(
				"Permission denied: the NATS server refused and dropped a publish to '" + fullSubject
						+ "' (Permissions Violation for Publish); grant the user publish permission on '" + fullSubject
						+ "'",
				fullSubject, NatsPermissionException.Operation.PUBLISH, NatsPermissionException.Denied.PUBLISH, null);
	}

	private void flushConnection(Duration timeout) {
		Connection connection = connection();
		try (NatsPings.Permit permit = NatsPings.acquire(connection, timeout)) {
			connection.flush(timeout);
		}
		catch (TimeoutException ex) {
			throw new NatsException("The server did not confirm the flush within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while flushing", ex);
		}
		catch (RuntimeException ex) {
			throw translate(ex, "flush", "(all subjects)");
		}
	}

	@Override
	public Duration ping() {
		Connection connection = connection();
		try (NatsPings.Permit permit = NatsPings.acquire(connection, this.defaultRequestTimeout)) {
			return connection.RTT();
		}
		catch (IOException ex) {
			throw new NatsException("Ping to the NATS server failed: " + ex.getMessage(), ex);
		}
		catch (TimeoutException ex) {
			throw new NatsException("Ping to the NATS server failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while pinging the NATS server", ex);
		}
		catch (RuntimeException ex) {
			throw translate(ex, "ping", "the server");
		}
	}

	@Override
	public NatsStatistics statistics() {
		io.nats.client.Statistics figures = this.connection.getStatistics();
		Duration rtt = null;
		Integer streams = null;
		Integer consumers = null;
		Long streamMessages = null;
		if (isConnected()) {
			rtt = pingQuietly();
			if (this.connection.getServerInfo().isJetStreamAvailable()) {
				try {
					List<io.nats.client.api.StreamInfo> infos = this.jetStream.streams();
					streams = infos.size();
					consumers = infos.stream().mapToInt((info) -> (int) info.getStreamState().getConsumerCount()).sum();
					streamMessages = infos.stream().mapToLong((info) -> info.getStreamState().getMsgCount()).sum();
				}
				catch (NatsException ex) {
					logger.debug(ex, "JetStream figures are not available");
				}
			}
		}
		return new NatsStatistics(figures.getInMsgs(), figures.getOutMsgs(), figures.getInBytes(),
				figures.getOutBytes(), figures.getReconnects(), figures.getDroppedCount(), rtt, streams, consumers,
				streamMessages);
	}

	@Override
	public NatsHealth health(boolean deep) {
		Connection.Status status = this.connection.getStatus();
		if (status != Connection.Status.CONNECTED) {
			String lastError = connectionError(this.connection, this.translator);
			return new NatsHealth(false, status, null, null, false, null,
					(lastError != null) ? lastError : "not connected (" + status + ")");
		}
		io.nats.client.api.ServerInfo info = this.connection.getServerInfo();
		String server = NatsServerUrls.redact(this.connection.getConnectedUrl());
		if (!deep) {
			return new NatsHealth(true, status, server, info.getVersion(), info.isJetStreamAvailable(), null, null);
		}
		try {
			Duration rtt = ping();
			if (info.isJetStreamAvailable()) {
				connection().jetStreamManagement(this.jetStreamOptions).getAccountStatistics();
			}
			return new NatsHealth(true, status, server, info.getVersion(), info.isJetStreamAvailable(), rtt, null);
		}
		catch (Exception ex) {
			return new NatsHealth(false, status, server, info.getVersion(), info.isJetStreamAvailable(), null,
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	/**
	 * Why a connection is not connected: the reason the latest connect failed
	 * ("Authorization Violation", a TLS handshake failure) as the translator heard it,
	 * else jnats' last error.
	 * @param connection the connection
	 * @param translator the translator fed by the connection's listeners
	 * @return the reason, or null when none is known
	 */
	public static @Nullable String connectionError(Connection connection, NatsExceptionTranslator translator) {
		String problem = translator.lastConnectionError();
		if (problem != null && !problem.isBlank()) {
			return problem;
		}
		String lastError = connection.getLastError();
		return (lastError != null && !lastError.isBlank()) ? lastError : null;
	}

	private @Nullable Duration pingQuietly() {
		try {
			return ping();
		}
		catch (NatsException ex) {
			return null;
		}
	}

	@Override
	public boolean isConnected() {
		return this.connection.getStatus() == Connection.Status.CONNECTED;
	}

	@Override
	public boolean awaitConnected(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!isConnected()) {
			if (System.nanoTime() >= deadline || this.connection.getStatus() == Connection.Status.CLOSED) {
				return false;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * The connection this template uses.
	 * @return the connection
	 */
	public Connection getConnection() {
		return this.connection;
	}

	/**
	 * The translator that explains timeouts caused by refused permissions.
	 * @return the translator
	 */
	public NatsExceptionTranslator getExceptionTranslator() {
		return this.translator;
	}

	/**
	 * The converter this template uses.
	 * @return the converter
	 */
	public NatsMessageConverter getMessageConverter() {
		return this.converter;
	}

	/**
	 * The JetStream options (domain, API prefix, timeout) of this template's JetStream
	 * calls.
	 * @return the options
	 */
	public JetStreamOptions getJetStreamOptions() {
		return this.jetStreamOptions;
	}

	/**
	 * The subject resolver this template uses.
	 * @return the resolver
	 */
	public NatsSubjectResolver getSubjectResolver() {
		return this.subjects;
	}

	/**
	 * Where this template's metrics go; listener containers on this template count the
	 * messages they receive there too.
	 * @return the recorder
	 */
	public NatsMetricsRecorder getMetricsRecorder() {
		return this.metrics;
	}

	private Connection connection() {
		Connection current = this.target;
		if (current == this.connection) {
			current = DeferredConnection.established(this.connection);
			this.target = current;
		}
		return current;
	}

	private static @Nullable Headers contentTypeHeaders(@Nullable Headers headers,
			NatsMessageConverter.Payload payload) {
		if (payload.contentType() == null) {
			return headers;
		}
		Headers result = (headers != null) ? new Headers(headers) : new Headers();
		if (!result.containsKeyIgnoreCase(NatsHeaders.CONTENT_TYPE)) {
			result.put(NatsHeaders.CONTENT_TYPE, payload.contentType());
		}
		return result;
	}

	private static NatsPayloadTooLargeException payloadTooLarge(String fullSubject, int size, long max,
			@Nullable Throwable cause) {
		return new NatsPayloadTooLargeException("Payload of " + size + " bytes for '" + fullSubject
				+ "' exceeds the server's max payload of " + max + " bytes; nothing was sent", cause);
	}

	private RuntimeException translate(RuntimeException ex, String action, String fullSubject, Connection conn,
			int size) {
		if (ex instanceof IllegalArgumentException && String.valueOf(ex.getMessage()).contains("payload size")) {
			return payloadTooLarge(fullSubject, size, conn.getMaxPayload(), ex);
		}
		return translate(ex, action, fullSubject);
	}

	private RuntimeException translate(RuntimeException ex, String action, String fullSubject) {
		if (ex instanceof NatsNotConnectedException) {
			return new NatsNotConnectedException("Cannot " + action + " '" + fullSubject + "': " + ex.getMessage());
		}
		if (ex instanceof NatsException) {
			return ex;
		}
		String message = String.valueOf(ex.getMessage());
		if (ex instanceof IllegalStateException && message.startsWith("Unable to queue")) {
			return new NatsBufferFullException("Cannot " + action + " '" + fullSubject
					+ "' while disconnected: the reconnect buffer is full (nats.reconnect.buffer-size)", ex);
		}
		if (ex instanceof IllegalStateException && (message.contains("Closed") || message.contains("Draining"))) {
			return new NatsNotConnectedException("Cannot " + action + " '" + fullSubject + "': " + message);
		}
		return new NatsException("Cannot " + action + " '" + fullSubject + "': " + message, ex);
	}

}
