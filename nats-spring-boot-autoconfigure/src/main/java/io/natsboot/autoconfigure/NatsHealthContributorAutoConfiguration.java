package io.natsboot.autoconfigure;

import io.nats.client.Connection;
import io.natsboot.actuate.NatsHealthIndicator;
import io.natsboot.actuate.NatsListenersHealthIndicator;
import io.natsboot.actuate.TaskWorkersHealthIndicator;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.task.TaskWorkerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code nats} health indicator (the connection) and, with
 * listeners, the {@code natsListeners} one (durable listeners that stalled are DOWN) and,
 * with the task queue, the {@code natsTasks} one (stalled task workers are DOWN); on when
 * Spring Boot's health module is present and {@code management.health.nats.enabled} is
 * not false.
 */
@AutoConfiguration(after = { NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class })
@ConditionalOnClass({ Connection.class, AbstractHealthIndicator.class })
@ConditionalOnBean(Connection.class)
@ConditionalOnEnabledHealthIndicator("nats")
public final class NatsHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "natsHealthIndicator", "natsHealthContributor" })
	NatsHealthIndicator natsHealthIndicator(Connection connection,
			ObjectProvider<NatsExceptionTranslator> exceptionTranslator) {
		return new NatsHealthIndicator(connection, exceptionTranslator.getIfUnique(NatsExceptionTranslator::new));
	}

	@Bean
	@ConditionalOnBean(TaskWorkerRegistry.class)
	@ConditionalOnMissingBean(name = "natsTasksHealthIndicator")
	TaskWorkersHealthIndicator natsTasksHealthIndicator(TaskWorkerRegistry registry) {
		return new TaskWorkersHealthIndicator(registry);
	}

	@Bean
	@ConditionalOnBean(NatsListenerEndpointRegistry.class)
	@ConditionalOnMissingBean(name = "natsListenersHealthIndicator")
	NatsListenersHealthIndicator natsListenersHealthIndicator(NatsListenerEndpointRegistry registry) {
		return new NatsListenersHealthIndicator(registry);
	}

}
