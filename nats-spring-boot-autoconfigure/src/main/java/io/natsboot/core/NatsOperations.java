package io.natsboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.natsboot.core.JetStreamOperations;
import io.natsboot.core.ObjectStoreOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * Messaging operations on NATS: publish, request-reply and subscriptions, with subjects
 * in the application's namespace. Implemented by {@link NatsTemplate}.
 */
public interface NatsOperations {

	/**
	 * Publishes bytes.
	 * @param subject the subject, without wildcards
	 * @param payload the bytes
	 * @throws NatsInvalidSubjectException for an invalid subject
	 * @throws NatsPayloadTooLargeException when the payload exceeds the server's maximum
	 * @throws NatsNotConnectedException after the connection closed
	 * @throws NatsBufferFullException while disconnected or before the first connect,
	 * when the reconnect buffer ({@code nats.reconnect.buffer-size}) is full
	 * @throws NatsPermissionException when the server refused a publish to this subject
	 * within the last minute (nothing is sent); the server drops a refused publish
	 * silently, so the first one is reported by the next {@link #flush(Duration)}
	 */
	void publish(String subject, byte[] payload);

	/**
	 * Publishes text as UTF-8.
	 * @param subject the subject
	 * @param payload the text
	 */
	void publish(String subject, String payload);

	/**
	 * Publishes a payload converted by the {@link NatsMessageConverter} (JSON for
	 * objects).
	 * @param subject the subject
	 * @param payload the payload
	 * @throws NatsConversionException when the payload cannot be converted
	 */
	void publish(String subject, Object payload);

	/**
	 * Publishes a message with headers and a reply subject.
	 * @param message the message; its subject gets the namespace
	 */
	void publish(NatsMessage message);

	/**
	 * Publishes messages one after another and flushes once. A message that fails is
	 * reported in the result and does not stop the others.
	 * @param messages the messages
	 * @return how many were published and which failed
	 */
	PublishBatchResult publishBatch(List<NatsMessage> messages);

	/**
	 * Sends a request and waits for the reply.
	 * @param subject the subject of the service
	 * @param payload the request payload, converted like {@link #publish(String, Object)}
	 * @param timeout how long to wait for the reply
	 * @return the reply
	 * @throws NatsRequestTimeoutException when no reply came in time
	 * @throws NatsNoRespondersException when nobody listens on the subject
	 * @throws NatsServiceErrorException when the service replied with an error
	 * @throws NatsPermissionException when no reply came because the server refused the
	 * publish to the subject or the subscription to the reply inbox
	 */
	NatsMessage request(String subject, Object payload, Duration timeout);

	/**
	 * Sends a request; the future completes with the reply, or exceptionally with the
	 * exceptions {@link #request} throws.
	 * @param subject the subject of the service
	 * @param payload the request payload
	 * @param timeout how long to wait for the reply
	 * @return the reply to come
	 */
	CompletableFuture<NatsMessage> requestAsync(String subject, Object payload, Duration timeout);

	/**
	 * Sends a request with the default timeout ({@code nats.request-timeout}) and
	 * converts the reply.
	 * @param <T> the reply type
	 * @param subject the subject of the service
	 * @param payload the request payload
	 * @param replyType the reply type
	 * @return the converted reply
	 */
	<T> @Nullable T requestAndConvert(String subject, Object payload, Class<T> replyType);

	/**
	 * Sends a request and converts the reply.
	 * @param <T> the reply type
	 * @param subject the subject of the service
	 * @param payload the request payload
	 * @param replyType the reply type
	 * @param timeout how long to wait for the reply
	 * @return the converted reply
	 */
	<T> @Nullable T requestAndConvert(String subject, Object payload, Class<T> replyType, Duration timeout);

	/**
	 * Sends a request with the default timeout and converts the reply to a generic type.
	 * @param <T> the reply type
	 * @param subject the subject of the service
	 * @param payload the request payload
	 * @param replyType the reply type, e.g. {@code new
	 * ParameterizedTypeReference<List<Order>>() {}}
	 * @return the converted reply
	 */
	<T> @Nullable T requestAndConvert(String subject, Object payload, ParameterizedTypeReference<T> replyType);

	/**
	 * Sends a request and converts the reply to a generic type.
	 * @param <T> the reply type
	 * @param subject the subject of the service
	 * @param payload the request payload
	 * @param replyType the reply type
	 * @param timeout how long to wait for the reply
	 * @return the converted reply
	 */
	<T> @Nullable T requestAndConvert(String subject, Object payload, ParameterizedTypeReference<T> replyType,
			Duration timeout);

	/**
	 * Subscribes a handler; every message goes to it on the subscription's own thread.
	 * @param subject the subject, wildcards {@code *} and {@code >} allowed
	 * @param handler the handler; its exceptions are logged and the subscription goes on
	 * @return the subscription
	 * @throws NatsPermissionException when the server refused the subscription (checked
	 * with a flush while connected)
	 */
	NatsSubscription subscribe(String subject, NatsMessageHandler handler);

	/**
	 * Subscribes a handler as a member of a queue group: each message goes to one member.
	 * @param subject the subject, wildcards allowed
	 * @param queueGroup the queue group
	 * @param handler the handler
	 * @return the subscription
	 */
	NatsSubscription subscribe(String subject, String queueGroup, NatsMessageHandler handler);

	/**
	 * Subscribes a handler for a while: once the timeout has passed, the subscription
	 * ends itself (it drains, so messages received already are still handled, and
	 * releases its thread; {@link NatsSubscription#isTimedOut()} then answers true).
	 * @param subject the subject, wildcards allowed
	 * @param handler the handler
	 * @param timeout how long the subscription receives messages, positive
	 * @return the subscription, which may still be ended earlier
	 */
	NatsSubscription subscribe(String subject, NatsMessageHandler handler, Duration timeout);

	/**
	 * Subscribes a handler as a member of a queue group for a while, as
	 * {@link #subscribe(String, NatsMessageHandler, Duration)} does.
	 * @param subject the subject, wildcards allowed
	 * @param queueGroup the queue group
	 * @param handler the handler
	 * @param timeout how long the subscription receives messages, positive
	 * @return the subscription
	 */
	NatsSubscription subscribe(String subject, String queueGroup, NatsMessageHandler handler, Duration timeout);

	/**
	 * Ends every subscription this template (or its {@link #withoutNamespace()} view)
	 * made on a subject and that is still going, at once, as
	 * {@link NatsSubscription#unsubscribe()} does. The subject is compared as subscribed,
	 * in the namespace: {@code unsubscribe("orders.*")} ends the subscriptions to
	 * {@code orders.*}, not one to {@code orders.created}. {@code @NatsListener}
	 * containers are not subscriptions of the template; stop them through the
	 * {@code NatsListenerEndpointRegistry}.
	 * @param subject the subject, as given to {@code subscribe}
	 * @return how many subscriptions were ended
	 */
	int unsubscribe(String subject);

	/**
	 * JetStream operations in this template's namespace: streams, consumers, publish with
	 * acknowledgement, pull.
	 * @return the JetStream operations
	 */
	JetStreamOperations jetStream();

	/**
	 * Operations on an object store bucket of this application (created when missing; the
	 * name gets the namespace prefix).
	 * @param bucket the bucket name
	 * @return the object store operations
	 */
	ObjectStoreOperations objectStore(String bucket);

	/**
	 * Operations on raw subjects, without the namespace (e.g. {@code $SYS.>}, other
	 * apps).
	 * @return operations without namespace
	 */
	NatsOperations withoutNamespace();

	/**
	 * The namespace subjects get.
	 * @return the namespace, empty for none
	 */
	String namespace();

	/**
	 * Waits until the server has processed everything sent so far.
	 * @param timeout how long to wait
	 * @throws NatsPermissionException naming a subject (in the namespace) whose publish
	 * the server refused since the previous flush
	 */
	void flush(Duration timeout);

	/**
	 * Measures the round-trip time to the server.
	 * @return the round-trip time
	 */
	Duration ping();

	/**
	 * Connection figures (messages and bytes in and out, reconnects, round-trip time)
	 * and, where the server offers JetStream, the application's streams, their consumers
	 * and messages.
	 * @return the statistics
	 */
	NatsStatistics statistics();

	/**
	 * The connection's health.
	 * @param deep whether to ping the server (and, with JetStream, call its API) rather
	 * than only read the connection status
	 * @return the health
	 */
	NatsHealth health(boolean deep);

	/**
	 * Whether the connection is established now.
	 * @return true while connected
	 */
	boolean isConnected();

	/**
	 * Waits for the connection, e.g. in an application started while NATS was down
	 * ({@code nats.startup=wait}), before calls that need an answer from the server
	 * (requests, JetStream, the key store, enqueuing tasks): before the first connect
	 * those throw {@link NatsNotConnectedException}, while publishes are buffered.
	 * @param timeout how long to wait
	 * @return true when connected within the timeout, false when the timeout passed or
	 * the connection was closed
	 */
	boolean awaitConnected(Duration timeout);

}
