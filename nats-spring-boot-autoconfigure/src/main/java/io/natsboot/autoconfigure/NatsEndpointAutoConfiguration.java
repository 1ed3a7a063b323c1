package io.natsboot.autoconfigure;

import io.natsboot.actuate.KeyStoreEndpointContributor;
import io.natsboot.actuate.NatsEndpoint;
import io.natsboot.actuate.NatsEndpointContributor;
import io.natsboot.actuate.NatsListenersEndpointContributor;
import io.natsboot.actuate.TaskQueueEndpointContributor;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsOperations;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskWorkerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code /actuator/nats} endpoint; on when Actuator is present
 * and the endpoint is exposed ({@code management.endpoints.web.exposure.include=nats}).
 */
@AutoConfiguration(after = { NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
		NatsKeyStoreAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(NatsOperations.class)
@ConditionalOnAvailableEndpoint(NatsEndpoint.class)
public final class NatsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NatsEndpoint natsEndpoint(NatsOperations natsOperations, ObjectProvider<NatsEndpointContributor> contributors) {
		return new NatsEndpoint(natsOperations, contributors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnBean({ TaskQueue.class, TaskWorkerRegistry.class })
	@ConditionalOnMissingBean
	TaskQueueEndpointContributor taskQueueEndpointContributor(TaskQueue taskQueue, TaskWorkerRegistry registry) {
		return new TaskQueueEndpointContributor(taskQueue, registry);
	}

	@Bean
	@ConditionalOnBean(KeyStoreTemplate.class)
	@ConditionalOnMissingBean
	KeyStoreEndpointContributor keyStoreEndpointContributor(KeyStoreTemplate keyStore) {
		return new KeyStoreEndpointContributor(keyStore);
	}

	@Bean
	@ConditionalOnBean(NatsListenerEndpointRegistry.class)
	@ConditionalOnMissingBean
	NatsListenersEndpointContributor natsListenersEndpointContributor(NatsListenerEndpointRegistry registry) {
		return new NatsListenersEndpointContributor(registry);
	}

}
