package io.natsboot.config;

import java.lang.reflect.Method;
import java.util.Map;

import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import io.natsboot.listener.adapter.HandlerMethodInvoker;
import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;
import io.natsboot.listener.adapter.Subject;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

/**
 * A listener endpoint backed by a {@link io.natsboot.annotation.NatsListener} method of a
 * bean. Arguments are resolved with spring-messaging's resolvers ({@code @Header},
 * {@code @Headers}, {@code @Payload}, {@code @Valid}) plus natsboot's
 * ({@link NatsMessage}, {@code io.nats.client.Message}, {@link Subject @Subject}).
 */
public class MethodNatsListenerEndpoint extends AbstractNatsListenerEndpoint {

	private final Object bean;

	private final Method method;

	private final String beanName;

	/**
	 * Creates an endpoint.
	 * @param id the container id
	 * @param subject the subject
	 * @param bean the bean
	 * @param method the method to call (invocable on the bean, e.g. through its proxy)
	 * @param beanName the bean's name, for messages
	 */
	public MethodNatsListenerEndpoint(String id, String subject, Object bean, Method method, String beanName) {
		super(id, subject);
		this.bean = bean;
		this.method = method;
		this.beanName = beanName;
	}

	/**
	 * Checks that every parameter can be resolved: at most one payload parameter,
	 * {@code @Headers} on a {@code Map}, {@code @Subject} on a {@code String}.
	 * @throws IllegalStateException naming the bean, method and parameter otherwise
	 */
	public void validateParameters() {
		String payloadParameter = null;
		for (int i = 0; i < this.method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(this.method, i);
			Class<?> type = parameter.getParameterType();
			String name = describe(parameter, i);
			if (parameter.hasParameterAnnotation(Headers.class) && !Map.class.isAssignableFrom(type)
					&& !MessageHeaders.class.isAssignableFrom(type)) {
				throw invalid(name + " is annotated @Headers but is not a Map");
			}
			if (parameter.hasParameterAnnotation(Subject.class) && type != String.class) {
				throw invalid(name + " is annotated @Subject but is not a String");
			}
			boolean special = parameter.hasParameterAnnotation(Header.class)
					|| parameter.hasParameterAnnotation(Headers.class)
					|| parameter.hasParameterAnnotation(Subject.class) || type == NatsMessage.class
					|| type == io.nats.client.Message.class || type == JetStreamMessage.class
					|| type == Acknowledgment.class || Message.class.isAssignableFrom(type)
					|| MessageHeaders.class.isAssignableFrom(type);
			if (!special) {
				if (payloadParameter != null) {
					throw invalid(name + " cannot be resolved: " + payloadParameter
							+ " already takes the payload, so the payload is ambiguous; annotate headers with @Header or the subject with @Subject");
				}
				payloadParameter = name;
			}
		}
	}

	/**
	 * Whether the method takes a parameter of the given type, e.g.
	 * {@link Acknowledgment}.
	 * @param type the parameter type
	 * @return true when one parameter has exactly that type
	 */
	public boolean hasParameterOfType(Class<?> type) {
		for (Class<?> parameterType : this.method.getParameterTypes()) {
			if (parameterType == type) {
				return true;
			}
		}
		return false;
	}

	@Override
	public NatsListenerInvoker createInvoker(NatsListenerInvokerContext context) {
		return HandlerMethodInvoker.forListener(this.bean, this.method, description(), context);
	}

	private String describe(MethodParameter parameter, int index) {
		String name = this.method.getParameters()[index].isNamePresent() ? this.method.getParameters()[index].getName()
				: "#" + index;
		return "Parameter '" + name + "' (" + parameter.getParameterType().getSimpleName() + ")";
	}

	private String description() {
		return "@NatsListener method '" + this.method.getName() + "' of bean '" + this.beanName + "'";
	}

	private IllegalStateException invalid(String problem) {
		return new IllegalStateException(description() + ": " + problem);
	}

}
