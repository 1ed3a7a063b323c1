package io.natsboot.autoconfigure;

import io.nats.client.Connection;
import io.nats.client.Options;
import io.natsboot.core.NatsConnectionEventLogger;
import io.natsboot.core.NatsConnectionFactory;
import io.natsboot.core.NatsConnectionLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the NATS {@link Connection}: options from {@code nats.*} properties (or
 * a {@link NatsConnectionDetails} bean), customizers, connection event logging, background
 * connect with {@code nats.startup=wait}, and a graceful drain at shutdown. Every bean backs off
 * when the application defines its own.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(Connection.class)
@ConditionalOnBooleanProperty(name = "nats.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsProperties.class)
public final class NatsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NatsConnectionDetails.class)
	PropertiesNatsConnectionDetails natsConnectionDetails(NatsProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesNatsConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	NatsConnectionEventLogger natsConnectionEventLogger() {
		return new NatsConnectionEventLogger();
	}

	@Bean
	@ConditionalOnMissingBean
	Options natsOptions(NatsProperties properties, NatsConnectionDetails connectionDetails,
			NatsConnectionEventLogger eventLogger, ObjectProvider<NatsOptionsCustomizer> customizers,
			Environment environment) {
		Options.Builder builder = new NatsOptionsFactory(properties, connectionDetails,
				environment.getProperty("spring.application.name"))
			.createBuilder()
			.connectionListener(eventLogger)
			.errorListener(eventLogger);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	Connection natsConnection(Options natsOptions, NatsProperties properties) {
		return new NatsConnectionFactory(natsOptions).connect(properties.getStartup());
	}

	@Bean
	@ConditionalOnMissingBean
	NatsConnectionLifecycle natsConnectionLifecycle(Connection connection, NatsProperties properties) {
		return new NatsConnectionLifecycle(connection, properties.getDrainTimeout());
	}

}
