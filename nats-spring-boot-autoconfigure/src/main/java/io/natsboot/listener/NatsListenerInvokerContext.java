package io.natsboot.listener;

import io.natsboot.core.NatsMessageConverter;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * The infrastructure a {@link NatsListenerEndpoint} builds its invoker with.
 *
 * @param messageHandlerMethodFactory creates invocable methods with natsboot's argument resolvers
 * @param converter converts payloads for methods that need no spring-messaging resolver
 */
public record NatsListenerInvokerContext(MessageHandlerMethodFactory messageHandlerMethodFactory,
		NatsMessageConverter converter) {
}
