package io.natsboot.listener.adapter;

import io.natsboot.core.NatsMessageConverter;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * The infrastructure a {@link io.natsboot.config.NatsListenerEndpoint} builds its invoker with.
 *
 * @param messageHandlerMethodFactory creates invocable methods with natsboot's argument resolvers
 * @param converter converts payloads for methods that need no spring-messaging resolver
 */
public record NatsListenerInvokerContext(MessageHandlerMethodFactory messageHandlerMethodFactory,
		NatsMessageConverter converter) {
}
