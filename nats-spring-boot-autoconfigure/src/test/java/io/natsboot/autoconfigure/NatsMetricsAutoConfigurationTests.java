package io.natsboot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Micrometer recorder per feature, each of which an application bean of that
 * feature's interface replaces. No server is needed: nothing here connects.
 */
class NatsMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsMetricsAutoConfiguration.class));

	@Test
	void recordsEveryFeatureInMicrometerWhenTheApplicationHasAMeterRegistry() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(MicrometerNatsMetricsRecorder.class)
				.hasSingleBean(MicrometerListenerMetrics.class)
				.hasSingleBean(MicrometerPullWorkerMetrics.class)
				.hasSingleBean(MicrometerTaskMetrics.class)
				.hasSingleBean(MicrometerKeyStoreMetrics.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(NatsMetricsRecorder.class)
			.doesNotHaveBean(NatsListenerMetrics.class)
			.doesNotHaveBean(PullWorkerMetrics.class)
			.doesNotHaveBean(TaskMetrics.class)
			.doesNotHaveBean(KeyStoreMetrics.class));
	}

	@Test
	void anApplicationRecorderReplacesNatsbootsForItsFeatureAlone() {
		TaskMetrics own = new TaskMetrics() {
		};
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(TaskMetrics.class, () -> own)
			.run((context) -> {
				assertThat(context.getBean(TaskMetrics.class)).isSameAs(own);
				assertThat(context).hasSingleBean(MicrometerNatsMetricsRecorder.class)
					.hasSingleBean(MicrometerListenerMetrics.class)
					.hasSingleBean(MicrometerPullWorkerMetrics.class)
					.hasSingleBean(MicrometerKeyStoreMetrics.class)
					.doesNotHaveBean(MicrometerTaskMetrics.class);
			});
		NatsMetricsRecorder core = new NatsMetricsRecorder() {
		};
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(NatsMetricsRecorder.class, () -> core)
			.run((context) -> {
				assertThat(context.getBean(NatsMetricsRecorder.class)).isSameAs(core);
				assertThat(context).hasSingleBean(MicrometerTaskMetrics.class);
			});
	}

	@Test
	void oneApplicationBeanOfEveryInterfaceReplacesThemAll() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(EveryFeature.class, EveryFeature::new)
			.run((context) -> assertThat(context).hasSingleBean(NatsMetricsRecorder.class)
				.hasSingleBean(NatsListenerMetrics.class)
				.hasSingleBean(PullWorkerMetrics.class)
				.hasSingleBean(TaskMetrics.class)
				.hasSingleBean(KeyStoreMetrics.class)
				.hasSingleBean(EveryFeature.class));
	}

	static class EveryFeature
			implements NatsMetricsRecorder, NatsListenerMetrics, PullWorkerMetrics, TaskMetrics, KeyStoreMetrics {

	}

}
