package io.natsboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.natsboot.actuate.MicrometerKeyStoreMetrics;
import io.natsboot.actuate.MicrometerListenerMetrics;
import io.natsboot.actuate.MicrometerNatsMetricsRecorder;
import io.natsboot.actuate.MicrometerPullWorkerMetrics;
import io.natsboot.actuate.MicrometerTaskMetrics;
import io.natsboot.core.NatsMetricsRecorder;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.keystore.KeyStoreMetrics;
import io.natsboot.listener.NatsListenerMetrics;
import io.natsboot.task.TaskMetrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Micrometer metrics for {@code NatsTemplate}, listeners, pull
 * workers, tasks and the key store, when the application has a {@link MeterRegistry}
 * (e.g. through Spring Boot Actuator). Each feature has its own recorder: an application
 * bean of a feature's interface ({@link NatsMetricsRecorder},
 * {@link NatsListenerMetrics}, {@link PullWorkerMetrics}, {@link TaskMetrics},
 * {@link KeyStoreMetrics}) replaces natsboot's recorder of that feature alone.
 */
@AutoConfiguration(before = NatsAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "nats.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NatsProperties.class)
public final class NatsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NatsMetricsRecorder.class)
	MicrometerNatsMetricsRecorder natsMetricsRecorder(MeterRegistry meterRegistry, NatsProperties properties) {
		return new MicrometerNatsMetricsRecorder(meterRegistry, properties.getMetrics().isLegacyTimers());
	}

	@Bean
	@ConditionalOnMissingBean(NatsListenerMetrics.class)
	MicrometerListenerMetrics natsListenerMetrics(MeterRegistry meterRegistry, NatsProperties properties) {
		return new MicrometerListenerMetrics(meterRegistry, properties.getMetrics().isLegacyTimers());
	}

	@Bean
	@ConditionalOnMissingBean(PullWorkerMetrics.class)
	MicrometerPullWorkerMetrics natsPullWorkerMetrics(MeterRegistry meterRegistry) {
		return new MicrometerPullWorkerMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean(TaskMetrics.class)
	MicrometerTaskMetrics natsTaskMetrics(MeterRegistry meterRegistry, NatsProperties properties) {
		return new MicrometerTaskMetrics(meterRegistry, properties.getMetrics().isLegacyTimers());
	}

	@Bean
	@ConditionalOnMissingBean(KeyStoreMetrics.class)
	MicrometerKeyStoreMetrics natsKeyStoreMetrics(MeterRegistry meterRegistry, NatsProperties properties) {
		return new MicrometerKeyStoreMetrics(meterRegistry, properties.getMetrics().isLegacyTimers());
	}

}
