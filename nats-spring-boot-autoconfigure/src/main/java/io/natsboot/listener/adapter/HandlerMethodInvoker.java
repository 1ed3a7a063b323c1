package io.natsboot.listener.adapter;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConversionException;
import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Calls an annotated handler method, a {@code @NatsListener} (core or durable) or a
 * {@code @TaskHandler} alike: what each parameter takes is worked out once, when the
 * invoker is created, so a message costs one argument array and the reflective call.
 * Parameters take the payload (converted to the parameter type), {@link NatsMessage},
 * {@code io.nats.client.Message}, {@link Subject @Subject String},
 * {@link JetStreamMessage}, {@link Acknowledgment}, {@code @Header} ({@code String} or
 * {@code List}) and {@code @Headers} ({@code Map}), plus what the caller's
 * {@link HandlerArgumentResolver}s supply. Listener methods that need more of
 * spring-messaging ({@code @Payload}, {@code @Valid}, converted headers, {@code Message})
 * go through its {@link InvocableHandlerMethod} instead: {@link #forListener} chooses.
 */
public final class HandlerMethodInvoker {

	/**
	 * The spring-messaging header that carries the {@link NatsMessage} to the argument
	 * resolvers.
	 */
	static final String NATS_MESSAGE_HEADER = "natsboot_message";

	/**
	 * The spring-messaging header that carries the {@link JetStreamMessage} of a durable
	 * listener.
	 */
	static final String JETSTREAM_MESSAGE_HEADER = "natsboot_jetstream_message";

	private enum Kind {

		PAYLOAD, NATS_MESSAGE, NATIVE_MESSAGE, SUBJECT, JETSTREAM_MESSAGE, ACKNOWLEDGMENT, HEADER, HEADERS, RESOLVER

	}

	private final Object bean;

	private final Method method;

	private final Function<NatsMessage, String> origin;

	private final Kind[] kinds;

	private final Type[] types;

	private final MethodParameter[] parameters;

	private final @Nullable HandlerArgumentResolver[] resolvers;

	private final @Nullable String[] headerNames;

	private final boolean[] headerRequired;

	private final boolean[] headerList;

	private final int[] payloadParameters;

	/**
	 * Creates an invoker that binds every parameter itself.
	 * @param bean the bean
	 * @param method the method (invocable on the bean, e.g. through its proxy)
	 * @param description the method and bean, for binding errors
	 * @param resolvers what supplies the parameters the invoker does not know, tried in
	 * order
	 * @param origin where a message comes from, for conversion errors (e.g.
	 * {@code "of a task"})
	 * @throws IllegalStateException when a {@code @Headers} parameter is not a
	 * {@code Map}
	 */
	public HandlerMethodInvoker(Object bean, Method method, String description,
			List<? extends HandlerArgumentResolver> resolvers, Function<NatsMessage, String> origin) {
		this.bean = bean;
		this.method = method;
		this.origin = origin;
		int count = method.getParameterCount();
		this.kinds = new Kind[count];
		this.types = method.getGenericParameterTypes();
		this.parameters = new MethodParameter[count];
		this.resolvers = new HandlerArgumentResolver[count];
		this.headerNames = new String[count];
		this.headerRequired = new boolean[count];
		this.headerList = new boolean[count];
		for (int i = 0; i < count; i++) {
			this.parameters[i] = new MethodParameter(method, i);
			this.kinds[i] = kindOf(i, description, resolvers);
		}
		this.payloadParameters = IntStream.range(0, count).filter((i) -> this.kinds[i] == Kind.PAYLOAD).toArray();
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Creates the invoker of a {@code @NatsListener} method: bound directly when every
	 * parameter is one the direct binding resolves as spring-messaging would, else
	 * through spring-messaging's resolver chain.
	 * @param bean the bean
	 * @param method the method (invocable on the bean)
	 * @param description the method and bean, for binding errors
	 * @param context the converter and spring-messaging's handler-method factory
	 * @return the invoker
	 */
	public static NatsListenerInvoker forListener(Object bean, Method method, String description,
			NatsListenerInvokerContext context) {
		if (isDirect(method)) {
			// the common case needs none of spring-messaging's resolvers: skip them on
			// the hot path
			HandlerMethodInvoker invoker = new HandlerMethodInvoker(bean, method, description, List.of(),
					(message) -> "from '" + message.subject() + "'");
			NatsMessageConverter converter = context.converter();
			return new NatsListenerInvoker() {

				@Override
				public @Nullable Object invoke(NatsMessage message) throws Exception {
					return invoker.invoke(message, null, null, converter);
				}

				@Override
				public @Nullable Object invoke(JetStreamMessage message) throws Exception {
					return invoker.invoke(message.message(), message, null, converter);
				}

			};
		}
		InvocableHandlerMethod handlerMethod = context.messageHandlerMethodFactory()
			.createInvocableHandlerMethod(bean, method);
		return new NatsListenerInvoker() {

			@Override
			public @Nullable Object invoke(NatsMessage message) throws Exception {
				return handlerMethod.invoke(toMessagingMessage(message, null));
			}

			@Override
			public @Nullable Object invoke(JetStreamMessage message) throws Exception {
				return handlerMethod.invoke(toMessagingMessage(message.message(), message));
			}

		};
	}

	/**
	 * Whether a listener method can be bound directly: no parameter annotated other than
	 * with {@link Subject} (spring-messaging converts {@code @Header} values and
	 * validates {@code @Payload}), and no spring-messaging types.
	 * @param method the listener method
	 * @return true when the direct path applies
	 */
	static boolean isDirect(Method method) {
		for (int i = 0; i < method.getParameterCount(); i++) {
			for (Annotation annotation : method.getParameterAnnotations()[i]) {
				if (!(annotation instanceof Subject)) {
					return false;
				}
			}
			Class<?> type = method.getParameterTypes()[i];
			if (Message.class.isAssignableFrom(type) || MessageHeaders.class.isAssignableFrom(type)
					|| java.util.Optional.class == type) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The parameters that take the payload, for callers that allow one only.
	 * @return their indexes, in order
	 */
	public int[] getPayloadParameters() {
		return this.payloadParameters.clone();
	}

	/**
	 * Calls the method for a message.
	 * @param message the message
	 * @param jetStreamMessage the JetStream message, or null for a core NATS message
	 * @param context handed to the {@link HandlerArgumentResolver}s, or null
	 * @param converter reads the payload as the parameter type
	 * @return what the method returns
	 * @throws Exception what the method throws, unwrapped, or a
	 * {@link NatsConversionException} when the payload or a required header cannot be an
	 * argument
	 */
	public @Nullable Object invoke(NatsMessage message, @Nullable JetStreamMessage jetStreamMessage,
			@Nullable Object context, NatsMessageConverter converter) throws Exception {
		Object[] arguments = new Object[this.kinds.length];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = switch (this.kinds[i]) {
				case PAYLOAD -> payload(message, converter, i);
				case NATS_MESSAGE -> message;
				case NATIVE_MESSAGE -> message.nativeMessage();
				case SUBJECT -> message.originalSubject();
				case JETSTREAM_MESSAGE, ACKNOWLEDGMENT -> jetStreamMessage;
				case HEADER -> header(message, i);
				case HEADERS -> message.headers();
				case RESOLVER -> resolver(i).resolveArgument(this.parameters[i], message, jetStreamMessage, context);
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

	private Kind kindOf(int index, String description, List<? extends HandlerArgumentResolver> resolvers) {
		Class<?> type = this.method.getParameterTypes()[index];
		for (Annotation annotation : this.method.getParameterAnnotations()[index]) {
			if (annotation instanceof Subject) {
				return Kind.SUBJECT;
			}
			if (annotation instanceof Header header) {
				String name = StringUtils.hasText(header.name()) ? header.name() : header.value();
				this.headerNames[index] = StringUtils.hasText(name) ? name
						: this.method.getParameters()[index].getName();
				this.headerRequired[index] = header.required();
				this.headerList[index] = (type == List.class);
				return Kind.HEADER;
			}
			if (annotation instanceof Headers) {
				if (!Map.class.isAssignableFrom(type)) {
					throw new IllegalStateException(description + ": @Headers parameter #" + index + " is not a Map");
				}
				return Kind.HEADERS;
			}
		}
		for (HandlerArgumentResolver resolver : resolvers) {
			if (resolver.supportsParameter(this.parameters[index])) {
				this.resolvers[index] = resolver;
				return Kind.RESOLVER;
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

	private HandlerArgumentResolver resolver(int index) {
		HandlerArgumentResolver resolver = this.resolvers[index];
		if (resolver == null) {
			throw new IllegalStateException("No resolver for parameter #" + index + " of " + this.method);
		}
		return resolver;
	}

	private Object payload(NatsMessage message, NatsMessageConverter converter, int index) {
		Object value = converter.read(message.payload(), message.header(NatsHeaders.CONTENT_TYPE), this.types[index],
				message.subject());
		if (value == null) {
			throw new NatsConversionException("The empty payload " + this.origin.apply(message) + " cannot be a "
					+ this.types[index].getTypeName(), null);
		}
		return value;
	}

	private @Nullable Object header(NatsMessage message, int index) {
		String name = this.headerNames[index];
		List<String> values = message.headers().get(name);
		if (values == null || values.isEmpty()) {
			if (this.headerRequired[index]) {
				throw new NatsConversionException("Header '" + name + "' " + this.origin.apply(message) + " is missing",
						null);
			}
			return null;
		}
		return this.headerList[index] ? values : values.get(0);
	}

	private static Message<byte[]> toMessagingMessage(NatsMessage message,
			@Nullable JetStreamMessage jetStreamMessage) {
		Map<String, List<String>> natsHeaders = message.headers();
		Map<String, Object> headers = new HashMap<>(natsHeaders.size() * 2 + 3);
		natsHeaders.forEach((name, values) -> headers.put(name, (values.size() == 1) ? values.get(0) : values));
		headers.put(NATS_MESSAGE_HEADER, message);
		if (jetStreamMessage != null) {
			headers.put(JETSTREAM_MESSAGE_HEADER, jetStreamMessage);
		}
		return new GenericMessage<>(message.payload(), new NatsMessageHeaders(headers));
	}

	@Override
	public String toString() {
		return "HandlerMethodInvoker[" + this.method + "]";
	}

	/**
	 * Message headers without a generated id and timestamp, which listeners do not need.
	 */
	private static final class NatsMessageHeaders extends MessageHeaders {

		private static final long serialVersionUID = 1L;

		NatsMessageHeaders(Map<String, Object> headers) {
			super(headers, MessageHeaders.ID_VALUE_NONE, -1L);
		}

	}

}
