package io.natsboot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.natsboot.annotation.EnableNats;
import io.natsboot.annotation.NatsListenerAnnotationBeanPostProcessor;
import io.natsboot.annotation.TaskHandlerAnnotationBeanPostProcessor;
import io.natsboot.config.NatsListenerContainerFactory;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.listener.NatsListenerMetrics;
import io.natsboot.observation.NatsListenerObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The annotation-driven part of natsboot: the listener container factory, its configurer,
 * and {@link EnableNats} unless the application declared it itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
		name = "org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory")
class NatsAnnotationDrivenConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsListenerContainerFactoryConfigurer natsListenerContainerFactoryConfigurer(NatsProperties properties,
			ObjectProvider<NatsListenerMetrics> metrics, ObjectProvider<PullWorkerMetrics> pullWorkerMetrics,
			ObjectProvider<NatsConnectionReadiness> readiness, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NatsListenerObservationConvention> observationConvention) {
		return new NatsListenerContainerFactoryConfigurer(properties,
				metrics.getIfUnique(() -> NatsListenerMetrics.NONE),
				pullWorkerMetrics.getIfUnique(() -> PullWorkerMetrics.NONE), readiness.getIfUnique(),
				NatsObservationSupport.settings(properties.getObservation().isListener(), observationRegistry,
						observationConvention));
	}

	@Bean(name = NatsListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = NatsListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	NatsListenerContainerFactory natsListenerContainerFactory(NatsListenerContainerFactoryConfigurer configurer,
			NatsTemplate natsTemplate) {
		NatsListenerContainerFactory factory = new NatsListenerContainerFactory(natsTemplate);
		configurer.configure(factory);
		return factory;
	}

	/**
	 * Finds @TaskHandler methods whether the task queue is on or not, so that handlers of
	 * a disabled task queue fail start-up instead of being ignored.
	 * @return the post-processor
	 */
	@Bean
	@ConditionalOnMissingBean
	static TaskHandlerAnnotationBeanPostProcessor taskHandlerAnnotationBeanPostProcessor() {
		return new TaskHandlerAnnotationBeanPostProcessor();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableNats
	@ConditionalOnMissingBean(name = NatsListenerAnnotationBeanPostProcessor.BEAN_NAME)
	static class EnableNatsConfiguration {

	}

}
