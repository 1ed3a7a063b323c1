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
 * for a {@link NonRetryableTaskException} or an unreadable payload.
 *
 * <p>
 * Arguments, as for {@code @NatsListener}: the payload converted to the parameter's type
 * (JSON), {@link TaskContext}, {@code @Header("name")}, {@code @Headers Map},
 * {@code io.natsboot.core.NatsMessage}. A non-void return value is the task's result
 * ({@link TaskQueue#result(String, Class)}), kept for {@code nats.task-queue.result-ttl}.
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
