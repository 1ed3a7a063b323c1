package io.natsboot.listener.adapter;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConversionException;
import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Calls a listener method whose parameters are only a plain payload, {@link NatsMessage},
 * {@code io.nats.client.Message}, {@link Subject @Subject String}, {@link JetStreamMessage} or
 * {@link Acknowledgment}, without spring-messaging's
 * resolver chain: the arguments are worked out once, when the listener is created.
 */
public final class HandlerMethodInvoker implements NatsListenerInvoker {

	private enum Kind {

		PAYLOAD, NATS_MESSAGE, NATIVE_MESSAGE, SUBJECT, JETSTREAM_MESSAGE, ACKNOWLEDGMENT

	}

	private final Object bean;

	private final Method method;

	private final NatsMessageConverter converter;

	private final Kind[] kinds;

	private final Type[] types;

	/**
	 * Creates an invoker.
	 * @param bean the bean
	 * @param method the method, one {@link #supports(Method)} accepts
	 * @param converter reads payloads
	 */
	public HandlerMethodInvoker(Object bean, Method method, NatsMessageConverter converter) {
		this.bean = bean;
		this.method = method;
		this.converter = converter;
		this.kinds = new Kind[method.getParameterCount()];
		this.types = method.getGenericParameterTypes();
		for (int i = 0; i < this.kinds.length; i++) {
			this.kinds[i] = kindOf(method, i);
		}
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Whether a method can be called directly: no parameter annotated other than with
	 * {@link Subject}, and no spring-messaging types.
	 * @param method the listener method
	 * @return true when the direct path applies
	 */
	public static boolean supports(Method method) {
		for (int i = 0; i < method.getParameterCount(); i++) {
			for (Annotation annotation : method.getParameterAnnotations()[i]) {
				if (!(annotation instanceof Subject)) {
					return false;
				}
			}
			Class<?> type = method.getParameterTypes()[i];
			if (org.springframework.messaging.Message.class.isAssignableFrom(type)
					|| org.springframework.messaging.MessageHeaders.class.isAssignableFrom(type)
					|| java.util.Optional.class == type) {
				return false;
			}
		}
		return true;
	}

	@Override
	public @Nullable Object invoke(NatsMessage message) throws Exception {
		return invoke(message, null);
	}

	@Override
	public @Nullable Object invoke(JetStreamMessage message) throws Exception {
		return invoke(message.message(), message);
	}

	private @Nullable Object invoke(NatsMessage message, @Nullable JetStreamMessage jetStreamMessage)
			throws Exception {
		Object[] arguments = new Object[this.kinds.length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = switch (this.kinds[i]) {
				case NATS_MESSAGE -> message;
				case NATIVE_MESSAGE -> message.nativeMessage();
				case SUBJECT -> message.originalSubject();
				case PAYLOAD -> payload(message, i);
				case JETSTREAM_MESSAGE, ACKNOWLEDGMENT -> jetStreamMessage;
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

	private Object payload(NatsMessage message, int index) {
		Object value = this.converter.read(message.payload(), message.header(NatsHeaders.CONTENT_TYPE), this.types[index],
				message.subject());
		if (value == null) {
			throw new NatsConversionException("The empty payload from '" + message.subject() + "' cannot be a "
					+ this.types[index].getTypeName(), null);
		}
		return value;
	}

	private static Kind kindOf(Method method, int index) {
		Class<?> type = method.getParameterTypes()[index];
		for (Annotation annotation : method.getParameterAnnotations()[index]) {
			if (annotation instanceof Subject) {
				return Kind.SUBJECT;
			}
		}
		if (type == NatsMessage.class) {
			return Kind.NATS_MESSAGE;
		}
		if (type == JetStreamMessage.class) {
			return Kind.JETSTREAM_MESSAGE;
		}
		if (type == Acknowledgment.class) {
			return Kind.ACKNOWLEDGMENT;
		}
		return (type == io.nats.client.Message.class) ? Kind.NATIVE_MESSAGE : Kind.PAYLOAD;
	}

}
