package io.natsboot.task;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConversionException;
import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * A {@link io.natsboot.annotation.TaskHandler} method with its settings, and the call of it: arguments are worked out
 * once, when the endpoint is created (payload, {@link TaskContext}, {@code @Header},
 * {@code @Headers}, {@link NatsMessage}, {@link JetStreamMessage}).
 */
public final class TaskHandlerEndpoint {

	private enum Kind {

		PAYLOAD, CONTEXT, HEADER, HEADERS, NATS_MESSAGE, JETSTREAM_MESSAGE

	}

	private final String type;

	private final String queue;

	private final Object bean;

	private final Method method;

	private final String description;

	private final int concurrency;

	private final TaskRetryPolicy retry;

	private final @Nullable Duration timeout;

	private final Kind[] kinds;

	private final @Nullable String[] headerNames;

	private final boolean[] headerRequired;

	private final Type[] types;

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
	public TaskHandlerEndpoint(String type, String queue, Object bean, Method method, String beanName,
			int concurrency, TaskRetryPolicy retry, @Nullable Duration timeout) {
		this.type = TaskWireFormat.checkName(type, "type");
		this.queue = TaskWireFormat.checkName(queue, "queue");
		this.bean = bean;
		this.method = method;
		this.description = "@TaskHandler method '" + method.getName() + "' of bean '" + beanName + "'";
		if (concurrency < 1) {
			throw new IllegalArgumentException(this.description + ": concurrency must be at least 1, was " + concurrency);
		}
		this.concurrency = concurrency;
		this.retry = retry;
		this.timeout = timeout;
		int count = method.getParameterCount();
		this.kinds = new Kind[count];
		this.headerNames = new String[count];
		this.headerRequired = new boolean[count];
		this.types = method.getGenericParameterTypes();
		boolean payload = false;
		for (int i = 0; i < count; i++) {
			this.kinds[i] = kindOf(i);
			if (this.kinds[i] == Kind.PAYLOAD) {
				if (payload) {
					throw new IllegalStateException(this.description + ": parameter #" + i
							+ " cannot be resolved: another parameter already takes the payload; annotate headers with @Header");
				}
				payload = true;
			}
		}
		ReflectionUtils.makeAccessible(method);
	}

	private Kind kindOf(int index) {
		Class<?> parameterType = this.method.getParameterTypes()[index];
		for (Annotation annotation : this.method.getParameterAnnotations()[index]) {
			if (annotation instanceof Header header) {
				String name = StringUtils.hasText(header.name()) ? header.name() : header.value();
				this.headerNames[index] = StringUtils.hasText(name) ? name
						: this.method.getParameters()[index].getName();
				this.headerRequired[index] = header.required();
				return Kind.HEADER;
			}
			if (annotation instanceof Headers) {
				if (!Map.class.isAssignableFrom(parameterType)) {
					throw new IllegalStateException(this.description + ": @Headers parameter #" + index + " is not a Map");
				}
				return Kind.HEADERS;
			}
		}
		if (parameterType == TaskContext.class) {
			return Kind.CONTEXT;
		}
		if (parameterType == NatsMessage.class) {
			return Kind.NATS_MESSAGE;
		}
		return (parameterType == JetStreamMessage.class) ? Kind.JETSTREAM_MESSAGE : Kind.PAYLOAD;
	}

	/** @return the task type */
	public String getType() {
		return this.type;
	}

	/** @return the queue */
	public String getQueue() {
		return this.queue;
	}

	/** @return tasks of the queue at once in this instance */
	public int getConcurrency() {
		return this.concurrency;
	}

	/** @return attempts and delays */
	public TaskRetryPolicy getRetry() {
		return this.retry;
	}

	/** @return the longest run, or null */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/** @return bean and method, for messages */
	public String describe() {
		return this.description;
	}

	@Nullable Object invoke(JetStreamMessage message, TaskContext context, NatsMessageConverter converter)
			throws Exception {
		NatsMessage natsMessage = message.message();
		Object[] arguments = new Object[this.kinds.length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = switch (this.kinds[i]) {
				case CONTEXT -> context;
				case NATS_MESSAGE -> natsMessage;
				case JETSTREAM_MESSAGE -> message;
				case HEADERS -> natsMessage.headers();
				case HEADER -> header(natsMessage, i);
				case PAYLOAD -> payload(natsMessage, converter, i);
			};
		}
		try {
			return this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw (Error) cause;
		}
	}

	private @Nullable Object header(NatsMessage message, int index) {
		String name = this.headerNames[index];
		List<String> values = message.headers().get(name);
		if (values == null || values.isEmpty()) {
			if (this.headerRequired[index]) {
				throw new NatsConversionException("Task header '" + name + "' is missing", null);
			}
			return null;
		}
		return (this.method.getParameterTypes()[index] == List.class) ? values : values.get(0);
	}

	private Object payload(NatsMessage message, NatsMessageConverter converter, int index) {
		Object value = converter.read(message.payload(), message.header(NatsHeaders.CONTENT_TYPE), this.types[index],
				message.subject());
		if (value == null) {
			throw new NatsConversionException(
					"The empty payload of a task cannot be a " + this.types[index].getTypeName(), null);
		}
		return value;
	}

	@Override
	public String toString() {
		return "TaskHandlerEndpoint[" + this.queue + "/" + this.type + " -> " + this.description + "]";
	}

}
