package io.natsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of one task type. Workers of its queue (durable pull
 * consumers shared by all instances, one per priority) hand it each task of that type, at
 * least once: the task is acknowledged after the method returned, retried with back-off
 * when it throws, and kept as a dead letter after {@link #maxAttempts()} runs, at once
 * for a {@link io.natsboot.task.NonRetryableTaskException} or an unreadable payload.
 *
 * <p>
 * Supported method arguments, worked out once when the handler is registered:
 * <ul>
 * <li>the payload, converted to the parameter's type by the
 * {@link io.natsboot.core.NatsMessageConverter} (by default {@code byte[]} as is,
 * {@code String} as UTF-8, anything else JSON); one parameter at most;</li>
 * <li>{@link io.natsboot.task.TaskContext} for the running task;</li>
 * <li>{@link io.natsboot.core.JetStreamMessage} and {@link io.natsboot.core.NatsMessage}
 * for the task's message;</li>
 * <li>{@code @Header("name")} (spring-messaging) for one header, as its first
 * {@code String} value or, for a {@code List} parameter, all its values, without
 * conversion (a missing required header makes the task a dead letter at once, like an
 * unreadable payload); {@code @Headers Map<String, List<String>>} for all;</li>
 * <li>{@link io.natsboot.listener.adapter.Subject @Subject String} for the task's subject
 * without namespace.</li>
 * </ul>
 * {@link io.natsboot.core.Acknowledgment} and {@code io.nats.client.Message} are refused
 * at start-up: a task's acknowledgement belongs to the task queue. A non-void return
 * value is the task's result ({@link io.natsboot.task.TaskQueue#result(String, Class)}),
 * kept for {@code nats.task-queue.result-ttl}.
 *
 * <pre class="code">
 * &#064;TaskHandler("send_email")
 * void send(Email mail, TaskContext context) { context.progress(50); ... }
 * </pre>
 *
 * Every attribute takes {@code ${...}} placeholders; empty means the
 * {@code nats.task-queue.*} default.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskHandler {

	/**
	 * The task type this method handles (letters, digits, {@code -}, {@code _}); unique
	 * per queue.
	 * @return the type
	 */
	String value();

	/**
	 * The queue whose tasks this method handles. Default {@code default}.
	 * @return the queue, or empty
	 */
	String queue() default "";

	/**
	 * How many tasks of the queue run at once in this instance. The handlers of one queue
	 * share one worker, whose concurrency is the largest given. Default
	 * {@code nats.task-queue.concurrency} (1).
	 * @return the concurrency, or empty
	 */
	String concurrency() default "";

	/**
	 * Runs allowed before the task goes to dead letters (a task's own
	 * {@code TaskOptions.maxAttempts} wins). Default
	 * {@code nats.task-queue.retry.max-attempts} (5).
	 * @return the max attempts, or empty
	 */
	String maxAttempts() default "";

	/**
	 * The delay after the first failure, e.g. {@code 1s}. Default
	 * {@code nats.task-queue.retry.initial-interval} (1 s).
	 * @return the interval, or empty
	 */
	String initialInterval() default "";

	/**
	 * How much each further delay grows. Default {@code nats.task-queue.retry.multiplier}
	 * (2.0).
	 * @return the multiplier, or empty
	 */
	String multiplier() default "";

	/**
	 * The longest delay between attempts. Default
	 * {@code nats.task-queue.retry.max-interval} (5 min).
	 * @return the interval, or empty
	 */
	String maxInterval() default "";

	/**
	 * How long one run may take; past it the handler's thread is interrupted and the run
	 * counts as failed. Default none.
	 * @return the timeout, or empty
	 */
	String timeout() default "";

}
