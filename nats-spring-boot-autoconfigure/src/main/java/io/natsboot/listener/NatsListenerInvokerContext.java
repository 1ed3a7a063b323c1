package io.natsboot.listener;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * The infrastructure a {@link NatsListenerEndpoint} builds its invoker with.
 *
 * @param messageHandlerMethodFactory creates invocable methods with natsboot's argument resolvers
 */
public record NatsListenerInvokerContext(MessageHandlerMethodFactory messageHandlerMethodFactory) {
}
