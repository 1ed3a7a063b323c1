package io.natsboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.natsboot.actuate.MicrometerNatsMetricsRecorder;
import io.natsboot.core.NatsMetricsRecorder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Micrometer metrics for {@code NatsTemplate}, when the application has a
 * {@link MeterRegistry} (e.g. through Spring Boot Actuator).
 */
@AutoConfiguration(before = NatsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "nats.enabled", matchIfMissing = true)
public final class NatsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NatsMetricsRecorder.class)
	MicrometerNatsMetricsRecorder natsMetricsRecorder(MeterRegistry meterRegistry) {
		return new MicrometerNatsMetricsRecorder(meterRegistry);
	}

}
