package io.natsboot.core;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.natsboot.jetstream.JetStreamOperations;
import io.natsboot.jetstream.JetStreamTemplate;
import io.natsboot.jetstream.ObjectStoreOperations;
import io.natsboot.jetstream.ObjectStoreTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.log.LogAccessor;

/**
 * The central class for messaging on NATS: publish, request-reply and subscriptions on the
 * application's {@link Connection}, with subjects in its namespace ({@code nats.namespace}) and
 * payloads converted by a {@link NatsMessageConverter}. Thread-safe; auto-configured as a bean.
 *
 * <pre class="code">
 * template.publish("orders.created", order);                         // JSON
 * Invoice invoice = template.requestAndConvert("billing.invoice", order, Invoice.class);
 * template.subscribe("orders.*", "order-workers", (message) -> handle(message.payloadAs(Order.class)));
 * </pre>
 */
public class NatsTemplate implements NatsOperations {

	private static final LogAccessor logger = new LogAccessor(NatsTemplate.class);

	private static final String SERVICE_ERROR = "Nats-Service-Error";

	private static final String SERVICE_ERROR_CODE = "Nats-Service-Error-Code";

	private final Connection connection;

	private final NatsMessageConverter converter;

	private final NatsSubjectResolver subjects;

	private final Duration defaultRequestTimeout;

	private final NatsMetricsRecorder metrics;

	private final JetStreamOptions jetStreamOptions;

	private final JetStreamTemplate jetStream;

	private final Map<String, ObjectStoreOperations> objectStores = new ConcurrentHashMap<>();

	/** The established connection behind a deferred one, once known; skips the proxy on hot paths. */
	private volatile Connection target;

	/**
	 * Creates a template.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects resolves subjects in the namespace
	 * @param defaultRequestTimeout the timeout of requests that name none
	 */
	public NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout) {
		this(connection, converter, subjects, defaultRequestTimeout, NatsMetricsRecorder.NONE);
	}

	/**
	 * Creates a template that records metrics.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects resolves subjects in the namespace
	 * @param defaultRequestTimeout the timeout of requests that name none
	 * @param metrics records what the template does
	 */
	public NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout, NatsMetricsRecorder metrics) {
		this(connection, converter, subjects, defaultRequestTimeout, metrics, JetStreamOptions.builder().build());
	}

	/**
	 * Creates a template with JetStream options.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects resolves subjects in the namespace
	 * @param defaultRequestTimeout the timeout of requests that name none
	 * @param metrics records what the template does
	 * @param jetStreamOptions the JetStream domain, API prefix and request timeout
	 */
	public NatsTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			Duration defaultRequestTimeout, NatsMetricsRecorder metrics, JetStreamOptions jetStreamOptions) {
		this.jetStreamOptions = jetStreamOptions;
		this.metrics = metrics;
		this.connection = connection;
		this.target = connection;
		this.converter = converter;
		this.subjects = subjects;
		this.defaultRequestTimeout = defaultRequestTimeout;
		this.jetStream = new JetStreamTemplate(connection, converter, subjects, jetStreamOptions);
	}

	@Override
	public void publish(String subject, byte[] payload) {
		String fullSubject = this.subjects.forPublish(subject);
		Connection conn = connection();
		try {
			// jnats checks the size against the server's max payload before anything is sent
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
		Connection conn = connection();
		try {
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
		int published = 0;
		for (int i = 0; i < messages.size(); i++) {
			NatsMessage message = messages.get(i);
			try {
				publish(message);
				published++;
			}
			catch (RuntimeException ex) {
				failures.add(new PublishBatchResult.Failure(i, message.subject(), ex));
			}
		}
		if (published > 0 && isConnected()) {
			try {
				flush(this.defaultRequestTimeout);
			}
			catch (NatsException ex) {
				// the messages are with the connection already; report, do not make callers send them again
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
		try {
			NatsMessageConverter.Payload converted = (payload instanceof NatsMessage message)
					? new NatsMessageConverter.Payload(message.payload(), null) : this.converter.write(payload, subject);
			Headers headers = contentTypeHeaders(
					(payload instanceof NatsMessage message) ? message.nativeHeaders() : null, converted);
			size = converted.data().length;
			// checked before jnats registers the request, which would otherwise wait for its sweep
			checkPayloadSize(conn, fullSubject, size);
			reply = conn.requestWithTimeout(fullSubject, headers, converted.data(), timeout);
		}
		catch (RuntimeException ex) {
			// conversion, size and connection failures reach async callers through the future too
			return CompletableFuture
				.failedFuture(failed(subject, "request", translate(ex, "send a request to", fullSubject, conn, size)));
		}
		long start = System.nanoTime();
		// jnats only sweeps timed-out requests every few seconds; time out exactly here.
		return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((message, failure) -> {
			try {
				NatsMessage answer = completeReply(message, failure, fullSubject, timeout);
				this.metrics.requestCompleted(subject, System.nanoTime() - start, "success");
				return answer;
			}
			catch (RuntimeException ex) {
				this.metrics.requestCompleted(subject, System.nanoTime() - start, outcome(ex));
				throw ex;
			}
		});
	}

	private static String outcome(RuntimeException ex) {
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
		String error = (message.hasHeaders()) ? message.getHeaders().getFirst(SERVICE_ERROR) : null;
		if (error != null) {
			throw new NatsServiceErrorException(fullSubject, parseCode(message.getHeaders().getFirst(SERVICE_ERROR_CODE)),
					error);
		}
		return NatsMessage.received(message, this.subjects, this.converter);
	}

	private static RuntimeException translateRequestFailure(Throwable failure, String fullSubject, Duration timeout) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
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
		return this.converter.read(reply.payload(), reply.header("Content-Type"), type, reply.subject());
	}

	@Override
	public NatsSubscription subscribe(String subject, NatsMessageHandler handler) {
		return doSubscribe(subject, null, handler);
	}

	@Override
	public NatsSubscription subscribe(String subject, String queueGroup, NatsMessageHandler handler) {
		return doSubscribe(subject, NatsSubjectResolver.checkQueueGroup(queueGroup, subject), handler);
	}

	private NatsSubscription doSubscribe(String subject, @Nullable String queueGroup, NatsMessageHandler handler) {
		String fullSubject = this.subjects.forSubscribe(subject);
		try {
			Dispatcher dispatcher = this.connection.createDispatcher();
			MessageHandler dispatching = (message) -> dispatch(message, handler);
			Subscription subscription = (queueGroup != null)
					? dispatcher.subscribe(fullSubject, queueGroup, dispatching)
					: dispatcher.subscribe(fullSubject, dispatching);
			return new NatsSubscription(this.connection, fullSubject, dispatcher, subscription);
		}
		catch (RuntimeException ex) {
			throw translate(ex, "subscribe to", fullSubject);
		}
	}

	private void dispatch(Message message, NatsMessageHandler handler) {
		NatsMessage received = NatsMessage.received(message, this.subjects, this.converter);
		this.metrics.received(received.originalSubject());
		try {
			handler.onMessage(received);
		}
		catch (Throwable ex) {
			// One failing message must never end the subscription.
			this.metrics.failed(received.originalSubject(), "handle", ex);
			logger.error(ex, () -> "Handler for subject '" + message.getSubject() + "' failed; the subscription goes on");
		}
	}

	@Override
	public JetStreamOperations jetStream() {
		return this.jetStream;
	}

	@Override
	public ObjectStoreOperations objectStore(String bucket) {
		return this.objectStores.computeIfAbsent(this.subjects.forName(bucket),
				(name) -> new ObjectStoreTemplate(this.connection, name, this.jetStreamOptions));
	}

	@Override
	public NatsOperations withoutNamespace() {
		return new NatsTemplate(this.connection, this.converter, NatsSubjectResolver.none(), this.defaultRequestTimeout,
				this.metrics, this.jetStreamOptions);
	}

	@Override
	public String namespace() {
		return this.subjects.namespace();
	}

	@Override
	public void flush(Duration timeout) {
		try {
			connection().flush(timeout);
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
		try {
			return connection().RTT();
		}
		catch (IOException ex) {
			throw new NatsException("Ping to the NATS server failed: " + ex.getMessage(), ex);
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
			String lastError = this.connection.getLastError();
			return new NatsHealth(false, status, null, null, false, null,
					(lastError != null && !lastError.isBlank()) ? lastError : "not connected (" + status + ")");
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
	 * The converter this template uses.
	 * @return the converter
	 */
	public NatsMessageConverter getMessageConverter() {
		return this.converter;
	}

	/**
	 * The JetStream options (domain, API prefix, timeout) of this template's JetStream calls.
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

	private Connection connection() {
		Connection current = this.target;
		if (current == this.connection) {
			current = DeferredConnection.established(this.connection);
			this.target = current;
		}
		return current;
	}

	private static @Nullable Headers contentTypeHeaders(@Nullable Headers headers, NatsMessageConverter.Payload payload) {
		if (payload.contentType() == null) {
			return headers;
		}
		Headers result = (headers != null) ? new Headers(headers) : new Headers();
		if (!result.containsKeyIgnoreCase("Content-Type")) {
			result.put("Content-Type", payload.contentType());
		}
		return result;
	}

	private static void checkPayloadSize(Connection conn, String fullSubject, int size) {
		long max = conn.getMaxPayload();
		if (max > 0 && size > max) {
			throw payloadTooLarge(fullSubject, size, max, null);
		}
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
