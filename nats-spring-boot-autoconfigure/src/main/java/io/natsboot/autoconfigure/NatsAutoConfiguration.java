package io.natsboot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.nats.client.Options;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.DefaultNatsMessageConverter;
import io.natsboot.core.NatsConnectionEventLogger;
import io.natsboot.core.NatsConnectionFactory;
import io.natsboot.core.NatsConnectionLifecycle;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsConnectionReadyCallback;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsInvalidSubjectException;
import io.natsboot.core.NatsJsonCodec;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsMetricsRecorder;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.StartupMode;
import io.natsboot.jetstream.JetStreamTemplates;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.jetstream.NatsStreamProvisioner;
import io.natsboot.observation.NatsTemplateObservationConvention;
import io.natsboot.observation.ObservationSettings;
import io.natsboot.task.TaskQueueSettings;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the NATS {@link Connection}: options from {@code nats.*}
 * properties (or a {@link NatsConnectionDetails} bean), customizers, connection event
 * logging, background connect with {@code nats.startup=wait}, and a graceful drain at
 * shutdown; and of the {@link NatsTemplate} with its {@link NatsMessageConverter}. Every
 * bean backs off when the application defines its own.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration" })
@ConditionalOnClass(Connection.class)
@ConditionalOnBooleanProperty(name = "nats.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsProperties.class)
@Import(NatsAnnotationDrivenConfiguration.class)
public final class NatsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NatsConnectionDetails.class)
	PropertiesNatsConnectionDetails natsConnectionDetails(NatsProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesNatsConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	NatsExceptionTranslator natsExceptionTranslator() {
		return new NatsExceptionTranslator();
	}

	@Bean
	@ConditionalOnMissingBean
	NatsConnectionEventLogger natsConnectionEventLogger(NatsExceptionTranslator natsExceptionTranslator) {
		return new NatsConnectionEventLogger(natsExceptionTranslator);
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
	Connection natsConnection(Options natsOptions, NatsProperties properties,
			NatsExceptionTranslator natsExceptionTranslator) {
		return new NatsConnectionFactory(natsOptions, natsExceptionTranslator).connect(properties.getStartup());
	}

	@Bean
	@ConditionalOnMissingBean
	NatsMessageConverter natsMessageConverter(ObjectProvider<NatsJsonCodec> jsonCodec,
			ConfigurableListableBeanFactory beanFactory) {
		return new DefaultNatsMessageConverter(
				jsonCodec.getIfUnique(() -> NatsJsonCodecs.select(beanFactory, beanFactory.getBeanClassLoader())));
	}

	@Bean
	@ConditionalOnMissingBean
	NatsTemplate natsTemplate(Connection connection, NatsMessageConverter natsMessageConverter,
			NatsProperties properties, ObjectProvider<NatsMetricsRecorder> metricsRecorder,
			NatsExceptionTranslator natsExceptionTranslator, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NatsTemplateObservationConvention> observationConvention) {
		ObservationSettings<NatsTemplateObservationConvention> observations = NatsObservationSupport
			.settings(properties.getObservation().isTemplate(), observationRegistry, observationConvention);
		return new NatsTemplate(connection, natsMessageConverter, subjectResolver(properties),
				NatsOptionsFactory.positive("nats.request-timeout", properties.getRequestTimeout()),
				metricsRecorder.getIfUnique(() -> NatsMetricsRecorder.NONE),
				jetStreamOptions(properties.getJetstream()), natsExceptionTranslator,
				new JetStreamTemplates(observations), observations);
	}

	private static JetStreamOptions jetStreamOptions(NatsProperties.Jetstream jetstream) {
		JetStreamOptions.Builder builder = JetStreamOptions.builder()
			.requestTimeout(NatsOptionsFactory.positive("nats.jetstream.api-timeout", jetstream.getApiTimeout()));
		try {
			if (StringUtils.hasText(jetstream.getDomain())) {
				builder.domain(jetstream.getDomain().trim());
			}
			if (StringUtils.hasText(jetstream.getPrefix())) {
				builder.prefix(jetstream.getPrefix().trim());
			}
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			String property = StringUtils.hasText(jetstream.getPrefix()) ? "nats.jetstream.prefix"
					: "nats.jetstream.domain";
			throw new InvalidConfigurationPropertyValueException(property,
					property.endsWith("prefix") ? jetstream.getPrefix() : jetstream.getDomain(), ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	NatsConnectionReadiness natsConnectionReadiness(NatsTemplate natsTemplate,
			ObjectProvider<NatsConnectionReadyCallback> callbacks, NatsProperties properties) {
		return new NatsConnectionReadiness(natsTemplate, natsTemplate.getConnection(),
				callbacks.orderedStream().toList(), properties.getStartup() == StartupMode.FAIL);
	}

	@Bean
	@ConditionalOnMissingBean
	NatsStreamProvisioner natsStreamProvisioner(ObjectProvider<NatsStreamDefinition> definitions,
			NatsProperties properties) {
		return new NatsStreamProvisioner(definitions.orderedStream().toList(),
				NatsOptionsFactory.replicas("nats.jetstream.replicas", null, properties.getJetstream()));
	}

	@Bean
	OwnedStreamOverlapCheck natsOwnedStreamOverlapCheck(NatsProperties properties, NatsTemplate natsTemplate,
			ObjectProvider<TaskQueueSettings> taskQueue, ObjectProvider<NatsListenerEndpointRegistry> registries,
			ObjectProvider<NatsStreamDefinition> definitions) {
		return new OwnedStreamOverlapCheck(NatsOptionsFactory.systemSubjects(properties),
				natsTemplate.getSubjectResolver(), taskQueue, registries, definitions);
	}

	private static NatsSubjectResolver subjectResolver(NatsProperties properties) {
		try {
			return new NatsSubjectResolver(properties.getNamespace());
		}
		catch (NatsInvalidSubjectException ex) {
			throw new InvalidConfigurationPropertyValueException("nats.namespace", properties.getNamespace(),
					ex.getMessage() + "; use dot-separated tokens without wildcards, e.g. myapp or team.myapp");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	NatsConnectionLifecycle natsConnectionLifecycle(Connection connection, NatsProperties properties) {
		return new NatsConnectionLifecycle(connection, properties.getDrainTimeout());
	}

}
