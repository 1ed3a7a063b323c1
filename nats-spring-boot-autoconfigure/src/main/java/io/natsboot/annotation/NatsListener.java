package io.natsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a bean as a NATS message listener: it is subscribed to
 * {@link #subject()} (in the application's namespace unless {@link #namespaced()} is
 * false) and called for every message.
 *
 * <p>
 * Supported method arguments, resolved by type and annotation:
 * <ul>
 * <li>the payload, converted to the parameter's type ({@code byte[]} as is,
 * {@code String} as UTF-8, anything else JSON), optionally {@code @Payload} and, with a
 * {@code Validator}, {@code @Valid};</li>
 * <li>{@link io.natsboot.core.NatsMessage} and {@code io.nats.client.Message};</li>
 * <li>{@code @Header("name")} (spring-messaging) for one header,
 * {@code @Headers Map<String, ?>} for all;</li>
 * <li>{@link io.natsboot.listener.adapter.Subject @Subject String} for the subject
 * without namespace (wildcard tokens filled in).</li>
 * </ul>
 * A non-void return value ({@code CompletableFuture<T>} included) is published, converted
 * like any payload, to the message's reply subject: a request-reply service is one
 * method. Without a reply subject the value is dropped (debug log). A failure never ends
 * the subscription: it goes to the {@link #errorHandler()} or, by default, is logged with
 * the subject and, for requests, answered with {@code Nats-Service-Error} headers so the
 * caller fails fast.
 *
 * <pre class="code">
 * &#064;NatsListener(subject = "orders.*", queue = "order-workers", concurrency = "2")
 * OrderAck onOrder(Order order, &#064;Header("priority") String priority, NatsMessage raw) { ... }
 * </pre>
 *
 * <h2>Durable listeners</h2> With {@link #stream()} and {@link #durable()} the method
 * consumes a JetStream stream through a durable pull consumer instead of a core
 * subscription: at least once, surviving restarts of the application and the server. The
 * consumer is created or updated when the connection is ready (never deleted); instances
 * with the same {@code durable} share the messages, each durable gets every message. A
 * message is acknowledged when the method returns; a failure is redelivered after the
 * {@link #backoff()} delay, and after {@link #maxDeliver()} deliveries (or at once, when
 * the payload cannot be converted) it is published to the dead-letter subject with
 * {@code Dead-Letter-*} headers and terminated. With {@link #concurrency()} 1 messages
 * are handled one at a time in stream order; with more, in parallel. Extra arguments:
 * {@link io.natsboot.core.JetStreamMessage} (stream sequence, delivery count, time
 * stored) and {@link io.natsboot.core.Acknowledgment}, which switches to manual
 * acknowledgement: the method acks, naks or terms itself (an exception before it did is
 * still retried). Return values are ignored. {@link #queue()}, {@link #maxMessages()} and
 * {@link #timeout()} do not apply.
 *
 * <pre class="code">
 * &#064;NatsListener(subject = "orders.&gt;", stream = "ORDERS", durable = "billing", maxDeliver = "3")
 * void bill(Order order, JetStreamMessage metadata) { ... }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(NatsListeners.class)
public @interface NatsListener {

	/**
	 * The subject to subscribe to; wildcards {@code *} (one token) and {@code >} (the
	 * rest) are allowed. {@code ${...}} placeholders and {@code #{...}} expressions are
	 * resolved.
	 * @return the subject
	 */
	String subject();

	/**
	 * The queue group: each message goes to one member of the group across all instances.
	 * Default none. Placeholders are resolved.
	 * @return the queue group, or empty
	 */
	String queue() default "";

	/**
	 * Whether the subject gets the application's namespace ({@code nats.namespace}).
	 * Default true; false subscribes to the raw subject.
	 * @return whether to apply the namespace
	 */
	boolean namespaced() default true;

	/**
	 * The id of the listener's container in the
	 * {@link io.natsboot.config.NatsListenerEndpointRegistry}, also the {@code listener}
	 * tag of its metrics and its name in health and {@code /actuator/nats}. Default
	 * {@code <bean name>.<method name>} (e.g. {@code billing.bill}), the same at every
	 * start; a method's second listener without an id (a repeated annotation, an
	 * overload) gets {@code #2} appended, the third {@code #3}, in the order of the
	 * annotations and of the methods' parameter types. Ids are unique: a duplicate fails
	 * start-up. Placeholders are resolved.
	 * @return the id, or empty
	 */
	String id() default "";

	/**
	 * How many threads run the method at once. Default {@code nats.listener.concurrency}
	 * (1, which keeps the order of messages). Placeholders are resolved.
	 * @return the concurrency, or empty for the default
	 */
	String concurrency() default "";

	/**
	 * Whether the container starts with the application. Default
	 * {@code nats.listener.auto-startup} (true). Placeholders are resolved.
	 * @return "true", "false", or empty for the default
	 */
	String autoStartup() default "";

	/**
	 * The name of a {@link io.natsboot.listener.adapter.NatsListenerErrorHandler} bean
	 * that handles failures; what it returns is sent as the reply. Default: log and, for
	 * requests, reply with an error.
	 * @return the bean name, or empty
	 */
	String errorHandler() default "";

	/**
	 * Unsubscribe after this many messages in all. Default unlimited. Placeholders are
	 * resolved.
	 * @return the count, or empty for unlimited
	 */
	String maxMessages() default "";

	/**
	 * How long the listener listens: once subscribed for this long, e.g. {@code 60s} or
	 * {@code 1h}, the container stops itself (it drains, as a stop does), and health and
	 * {@code /actuator/nats} show it stopped by timeout, not failed. Counted from the
	 * subscribe, so a listener started before NATS was reachable still gets its full
	 * time; starting the container again through the
	 * {@link io.natsboot.config.NatsListenerEndpointRegistry} starts a new period.
	 * Default none: the listener runs until the application stops. Not for durable
	 * listeners, whose consumer keeps their messages anyway (start-up fails).
	 * Placeholders are resolved.
	 * @return the duration ({@code 500ms}, {@code 10s}, ISO-8601), or empty for none
	 */
	String timeout() default "";

	/**
	 * The JetStream stream to consume durably (without namespace); set together with
	 * {@link #durable()}. The stream must exist or be declared as a
	 * {@link io.natsboot.jetstream.NatsStreamDefinition} bean. Default none: a core
	 * subscription. Placeholders are resolved.
	 * @return the stream name, or empty
	 */
	String stream() default "";

	/**
	 * The durable consumer's name (without namespace): instances with the same name share
	 * the messages; each name gets every message. Required with {@link #stream()}.
	 * Placeholders are resolved.
	 * @return the durable name, or empty
	 */
	String durable() default "";

	/**
	 * Where a new durable consumer starts: {@code all} (default), {@code new},
	 * {@code last}, {@code last-per-subject}, {@code by-start-sequence} (with
	 * {@link #startSequence()}) or {@code by-start-time} (with {@link #startTime()}). An
	 * existing consumer keeps its position. Placeholders are resolved.
	 * @return the deliver policy, or empty for {@code all}
	 */
	String deliverPolicy() default "";

	/**
	 * The first stream sequence for {@code by-start-sequence} (implied when only this is
	 * set). Placeholders are resolved.
	 * @return the sequence, or empty
	 */
	String startSequence() default "";

	/**
	 * The start time for {@code by-start-time} (implied when only this is set), ISO-8601
	 * such as {@code 2026-01-01T00:00:00Z}. Placeholders are resolved.
	 * @return the time, or empty
	 */
	String startTime() default "";

	/**
	 * How long the server waits for an acknowledgement before it redelivers, e.g.
	 * {@code 30s} (default). Handlers running longer than half of it send in-progress
	 * heartbeats, so a slow handler is not redelivered. Placeholders are resolved.
	 * @return the ack wait, or empty for 30 s
	 */
	String ackWait() default "";

	/**
	 * How often a message is delivered before a failing one goes to dead letters. Default
	 * 5; {@code -1} retries forever. Placeholders are resolved.
	 * @return the max deliveries, or empty for 5
	 */
	String maxDeliver() default "";

	/**
	 * The delays before a failed message is redelivered: one duration (fixed) or a
	 * comma-separated list, whose last delay repeats, e.g. {@code 1s, 5s, 30s}. Default
	 * exponential: 1 s, doubling, at most 1 min. Placeholders are resolved.
	 * @return the delays, or empty for the default
	 */
	String backoff() default "";

	/**
	 * The most delivered, unacknowledged messages the server allows this durable (across
	 * all instances). Default: the server's (1000 on 2.9). Placeholders are resolved.
	 * @return the limit, or empty
	 */
	String maxAckPending() default "";

	/**
	 * The most messages one pull asks for (default 10); a pull never asks for more than
	 * there are idle threads ({@link #concurrency()}), since the ack wait starts at
	 * delivery. Placeholders are resolved.
	 * @return the batch size, or empty for 10
	 */
	String batchSize() default "";

	/**
	 * Where failed messages go (without namespace); a stream must store that subject.
	 * Default {@code natsboot.dead-letters.<stream>.<durable>} ({@code natsboot} is
	 * {@code nats.system-subject-prefix}), kept by the stream {@code DEAD_LETTERS}, which
	 * is created when missing. Placeholders are resolved.
	 * @return the subject, or empty for the default
	 */
	String deadLetterSubject() default "";

}
