package io.natsboot.listener;

import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves natsboot's listener arguments: {@link NatsMessage}, {@code io.nats.client.Message} and
 * {@link Subject @Subject String}.
 */
class NatsListenerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return parameter.hasParameterAnnotation(Subject.class) || type == NatsMessage.class
				|| type == io.nats.client.Message.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		NatsMessage natsMessage = (NatsMessage) message.getHeaders().get(MethodNatsListenerEndpoint.NATS_MESSAGE_HEADER);
		if (natsMessage == null) {
			throw new IllegalStateException("No NATS message to resolve " + parameter);
		}
		if (parameter.hasParameterAnnotation(Subject.class)) {
			return natsMessage.originalSubject();
		}
		return (parameter.getParameterType() == NatsMessage.class) ? natsMessage : natsMessage.nativeMessage();
	}

}
