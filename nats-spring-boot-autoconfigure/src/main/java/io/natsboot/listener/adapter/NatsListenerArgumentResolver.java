package io.natsboot.listener.adapter;

import io.natsboot.core.Acknowledgment;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves natsboot's listener arguments: {@link NatsMessage},
 * {@code io.nats.client.Message}, {@link Subject @Subject String} and, for durable
 * listeners, {@link JetStreamMessage} and {@link Acknowledgment}.
 */
class NatsListenerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return parameter.hasParameterAnnotation(Subject.class) || type == NatsMessage.class
				|| type == io.nats.client.Message.class || type == JetStreamMessage.class
				|| type == Acknowledgment.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		NatsMessage natsMessage = (NatsMessage) message.getHeaders().get(HandlerMethodInvoker.NATS_MESSAGE_HEADER);
		if (natsMessage == null) {
			throw new IllegalStateException("No NATS message to resolve " + parameter);
		}
		Class<?> type = parameter.getParameterType();
		if (type == JetStreamMessage.class || type == Acknowledgment.class) {
			return message.getHeaders().get(HandlerMethodInvoker.JETSTREAM_MESSAGE_HEADER);
		}
		if (parameter.hasParameterAnnotation(Subject.class)) {
			return natsMessage.originalSubject();
		}
		return (type == NatsMessage.class) ? natsMessage : natsMessage.nativeMessage();
	}

}
