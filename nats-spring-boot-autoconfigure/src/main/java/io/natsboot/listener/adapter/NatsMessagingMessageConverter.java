package io.natsboot.listener.adapter;

import java.lang.reflect.Type;

import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.SmartMessageConverter;

/**
 * Lets spring-messaging's payload resolver read listener payloads with the
 * {@link NatsMessageConverter}, generic parameter types included.
 */
class NatsMessagingMessageConverter implements SmartMessageConverter {

	private final NatsMessageConverter converter;

	NatsMessagingMessageConverter(NatsMessageConverter converter) {
		this.converter = converter;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		Type type = (conversionHint instanceof MethodParameter parameter)
				? parameter.nestedIfOptional().getNestedGenericParameterType() : targetClass;
		NatsMessage natsMessage = (NatsMessage) message.getHeaders().get(HandlerMethodInvoker.NATS_MESSAGE_HEADER);
		byte[] data = (byte[]) message.getPayload();
		String subject = (natsMessage != null) ? natsMessage.subject() : "(unknown subject)";
		String contentType = (natsMessage != null) ? natsMessage.header(NatsHeaders.CONTENT_TYPE) : null;
		return this.converter.read(data, contentType, type, subject);
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return null;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		return null;
	}

}
