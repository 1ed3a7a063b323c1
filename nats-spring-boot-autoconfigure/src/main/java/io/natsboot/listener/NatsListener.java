package io.natsboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a bean as a NATS message listener: it is subscribed to {@link #subject()} (in
 * the application's namespace unless {@link #namespaced()} is false) and called for every message.
 *
 * <p>Supported method arguments, resolved by type and annotation:
 * <ul>
 * <li>the payload, converted to the parameter's type ({@code byte[]} as is, {@code String} as
 * UTF-8, anything else JSON), optionally {@code @Payload} and, with a {@code Validator}, {@code @Valid};</li>
 * <li>{@link io.natsboot.core.NatsMessage} and {@code io.nats.client.Message};</li>
 * <li>{@code @Header("name")} (spring-messaging) for one header, {@code @Headers Map<String, ?>}
 * for all;</li>
 * <li>{@link Subject @Subject String} for the subject without namespace (wildcard tokens filled in).</li>
 * </ul>
 * A non-void return value ({@code CompletableFuture<T>} included) is published, converted like
 * any payload, to the message's reply subject: a request-reply service is one method. Without a
 * reply subject the value is dropped (debug log). A failure never ends the subscription: it goes to
 * the {@link #errorHandler()} or, by default, is logged with the subject and, for requests,
 * answered with {@code Nats-Service-Error} headers so the caller fails fast.
 *
 * <pre class="code">
 * &#064;NatsListener(subject = "orders.*", queue = "order-workers", concurrency = "2")
 * OrderAck onOrder(Order order, &#064;Header("priority") String priority, NatsMessage raw) { ... }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(NatsListeners.class)
public @interface NatsListener {

	/**
	 * The subject to subscribe to; wildcards {@code *} (one token) and {@code >} (the rest) are
	 * allowed. {@code ${...}} placeholders and {@code #{...}} expressions are resolved.
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
	 * Whether the subject gets the application's namespace ({@code nats.namespace}). Default true;
	 * false subscribes to the raw subject.
	 * @return whether to apply the namespace
	 */
	boolean namespaced() default true;

	/**
	 * The id of the listener's container in the {@link NatsListenerEndpointRegistry}. Default
	 * {@code natsListener#<n>}. Placeholders are resolved.
	 * @return the id, or empty
	 */
	String id() default "";

	/**
	 * How many threads run the method at once. Default {@code nats.listener.concurrency} (1,
	 * which keeps the order of messages). Placeholders are resolved.
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
	 * The name of a {@link NatsListenerErrorHandler} bean that handles failures; what it returns
	 * is sent as the reply. Default: log and, for requests, reply with an error.
	 * @return the bean name, or empty
	 */
	String errorHandler() default "";

	/**
	 * Unsubscribe after this many messages in all. Default unlimited. Placeholders are resolved.
	 * @return the count, or empty for unlimited
	 */
	String maxMessages() default "";

}
