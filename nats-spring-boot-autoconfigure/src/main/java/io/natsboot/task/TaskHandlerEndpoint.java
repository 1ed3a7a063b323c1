package io.natsboot.task;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import io.nats.client.Message;
import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.listener.adapter.HandlerMethodInvoker;
import org.jspecify.annotations.Nullable;

/**
 * A {@link io.natsboot.annotation.TaskHandler} method with its settings, and the call of
 * it through the {@link HandlerMethodInvoker} listeners use too: arguments are worked out
 * once, when the endpoint is created (payload, {@link TaskContext}, {@code @Header},
 * {@code @Headers}, {@code @Subject}, {@link NatsMessage}, {@link JetStreamMessage}). A
 * parameter that could acknowledge the message ({@link Acknowledgment},
 * {@code io.nats.client.Message}) is refused: the task queue acknowledges it.
 */
public final class TaskHandlerEndpoint {

	private final String type;

	private final String queue;

	private final String description;

	private final int concurrency;

	private final TaskRetryPolicy retry;

	private final @Nullable Duration timeout;

	private final HandlerMethodInvoker invoker;

	/**
	 * Creates an endpoint.
	 * @param type the task type
	 * @param queue the queue
	 * @param bean the bean
	 * @param method the method (invocable on the bean)
	 * @param beanName the bean's name, for messages
	 * @param concurrency tasks of the queue at once in this instance
	 * @param retry attempts and delays
	 * @param timeout the longest run, or null
	 * @throws IllegalStateException when a parameter cannot be resolved
	 */
	public TaskHandlerEndpoint(String type, String queue, Object bean, Method method, String beanName, int concurrency,
			TaskRetryPolicy retry, @Nullable Duration timeout) {
		this.type = TaskWireFormat.checkName(type, "type");
		this.queue = TaskWireFormat.checkName(queue, "queue");
		this.description = "@TaskHandler method '" + method.getName() + "' of bean '" + beanName + "'";
		if (concurrency < 1) {
			throw new IllegalArgumentException(
					this.description + ": concurrency must be at least 1, was " + concurrency);
		}
		this.concurrency = concurrency;
		this.retry = retry;
		this.timeout = timeout;
		refuseOwnAcknowledgement(method);
		this.invoker = new HandlerMethodInvoker(bean, method, this.description,
				List.of(TaskContextArgumentResolver.INSTANCE), (message) -> "of a task");
		int[] payloads = this.invoker.getPayloadParameters();
		if (payloads.length > 1) {
			throw new IllegalStateException(this.description + ": parameter #" + payloads[1]
					+ " cannot be resolved: another parameter already takes the payload; annotate headers with @Header");
		}
	}

	/**
	 * A task's acknowledgement belongs to the task queue: it acks once the status and
	 * result are stored, naks to retry and terms into the dead tasks. A handler that
	 * acked the message itself would leave its task RUNNING for ever, so the parameters
	 * that could are refused at start-up.
	 */
	private void refuseOwnAcknowledgement(Method method) {
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] == Acknowledgment.class || Message.class.isAssignableFrom(types[i])) {
				throw new IllegalStateException(this.description + ": parameter #" + i + " (" + types[i].getSimpleName()
						+ ") is not supported: the task queue acknowledges a task's message "
						+ "itself; take TaskContext, or NatsMessage for the message's subject and headers");
			}
		}
	}

	/**
	 * @return the task type
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * @return the queue
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * @return tasks of the queue at once in this instance
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * @return attempts and delays
	 */
	public TaskRetryPolicy getRetry() {
		return this.retry;
	}

	/**
	 * @return the longest run, or null
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * @return bean and method, for messages
	 */
	public String describe() {
		return this.description;
	}

	@Nullable Object invoke(JetStreamMessage message, TaskContext context, NatsMessageConverter converter) throws Exception {
		return this.invoker.invoke(message.message(), message, context, converter);
	}

	@Override
	public String toString() {
		return "TaskHandlerEndpoint[" + this.queue + "/" + this.type + " -> " + this.description + "]";
	}

}
