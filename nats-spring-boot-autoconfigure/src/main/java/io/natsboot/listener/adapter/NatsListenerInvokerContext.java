package io.natsboot.listener.adapter;

import java.util.List;

import io.natsboot.core.NatsMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * The infrastructure a {@link io.natsboot.config.NatsListenerEndpoint} builds its invoker
 * with.
 *
 * @param messageHandlerMethodFactory creates invocable methods with natsboot's argument
 * resolvers
 * @param converter converts payloads for methods that need no spring-messaging resolver
 */
public record NatsListenerInvokerContext(MessageHandlerMethodFactory messageHandlerMethodFactory,
		NatsMessageConverter converter) {

	/**
	 * Creates the context of an application: spring-messaging's handler-method factory
	 * with natsboot's argument resolvers, payloads read by the converter, and the
	 * validator for {@code @Valid}.
	 * @param beanFactory resolves placeholders and expressions in spring-messaging
	 * annotations
	 * @param converter the application's converter
	 * @param validator the validator, or null for none
	 * @return the context
	 */
	public static NatsListenerInvokerContext create(BeanFactory beanFactory, NatsMessageConverter converter,
			@Nullable Validator validator) {
		DefaultMessageHandlerMethodFactory methodFactory = new DefaultMessageHandlerMethodFactory();
		methodFactory.setBeanFactory(beanFactory);
		methodFactory.setMessageConverter(new NatsMessagingMessageConverter(converter));
		methodFactory.setCustomArgumentResolvers(List.of(new NatsListenerArgumentResolver()));
		if (validator != null) {
			methodFactory.setValidator(validator);
		}
		methodFactory.afterPropertiesSet();
		return new NatsListenerInvokerContext(methodFactory, converter);
	}

}
