package io.natsboot.annotation;

import io.natsboot.config.NatsListenerEndpointRegistry;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the {@link NatsListenerAnnotationBeanPostProcessor} and the
 * {@link NatsListenerEndpointRegistry} under their well-known names, once.
 */
public class NatsListenerBootstrapConfiguration implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (!registry.containsBeanDefinition(NatsListenerAnnotationBeanPostProcessor.BEAN_NAME)) {
			RootBeanDefinition definition = new RootBeanDefinition(NatsListenerAnnotationBeanPostProcessor.class);
			definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(NatsListenerAnnotationBeanPostProcessor.BEAN_NAME, definition);
		}
		if (!registry.containsBeanDefinition(NatsListenerEndpointRegistry.BEAN_NAME)) {
			registry.registerBeanDefinition(NatsListenerEndpointRegistry.BEAN_NAME,
					new RootBeanDefinition(NatsListenerEndpointRegistry.class));
		}
	}

}
