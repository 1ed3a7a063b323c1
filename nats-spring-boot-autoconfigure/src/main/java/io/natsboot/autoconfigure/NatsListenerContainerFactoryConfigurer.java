package io.natsboot.autoconfigure;

import io.natsboot.config.NatsListenerContainerFactory;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.listener.NatsListenerMetrics;
import io.natsboot.observation.NatsListenerObservationConvention;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

/**
 * Applies natsboot's defaults ({@code nats.listener.*}, {@code nats.drain-timeout},
 * {@code nats.jetstream.replicas} and {@code failover-timeout},
 * {@code nats.system-subject-prefix}, metrics) to a {@link NatsListenerContainerFactory},
 * so a second factory can share them:
 *
 * <pre class="code">
 * &#064;Bean
 * NatsListenerContainerFactory otherFactory(NatsListenerContainerFactoryConfigurer configurer, NatsTemplate other) {
 *     NatsListenerContainerFactory factory = new NatsListenerContainerFactory(other);
 *     configurer.configure(factory);
 *     return factory;
 * }
 * </pre>
 */
public class NatsListenerContainerFactoryConfigurer {

	private final NatsProperties properties;

	private final NatsListenerMetrics metrics;

	private final PullWorkerMetrics pullWorkerMetrics;

	private final @Nullable NatsConnectionReadiness readiness;

	private final ObservationSettings<NatsListenerObservationConvention> observations;

	/**
	 * Creates a configurer.
	 * @param properties the {@code nats.*} properties
	 * @param metrics where listener metrics go
	 * @param pullWorkerMetrics where durable listeners' consumer metrics go
	 * @param readiness what containers wait for before subscribing, or null
	 */
	public NatsListenerContainerFactoryConfigurer(NatsProperties properties, NatsListenerMetrics metrics,
			PullWorkerMetrics pullWorkerMetrics, @Nullable NatsConnectionReadiness readiness) {
		this(properties, metrics, pullWorkerMetrics, readiness, ObservationSettings.off());
	}

	/**
	 * Creates a configurer whose factories' listeners are observed.
	 * @param properties the {@code nats.*} properties
	 * @param metrics where listener metrics go
	 * @param pullWorkerMetrics where durable listeners' consumer metrics go
	 * @param readiness what containers wait for before subscribing, or null
	 * @param observations the registry and convention of listener observations
	 */
	public NatsListenerContainerFactoryConfigurer(NatsProperties properties, NatsListenerMetrics metrics,
			PullWorkerMetrics pullWorkerMetrics, @Nullable NatsConnectionReadiness readiness,
			ObservationSettings<NatsListenerObservationConvention> observations) {
		this.observations = observations;
		this.properties = properties;
		this.metrics = metrics;
		this.pullWorkerMetrics = pullWorkerMetrics;
		this.readiness = readiness;
	}

	/**
	 * Applies the defaults.
	 * @param factory the factory
	 */
	public void configure(NatsListenerContainerFactory factory) {
		NatsProperties.Listener listener = this.properties.getListener();
		if (listener.getConcurrency() < 1) {
			throw new org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException(
					"nats.listener.concurrency", listener.getConcurrency(), "Use 1 or more threads per listener");
		}
		factory.setConcurrency(listener.getConcurrency());
		factory.setAutoStartup(listener.isAutoStartup());
		factory.setDrainTimeout(this.properties.getDrainTimeout());
		factory.setListenerMetrics(this.metrics);
		factory.setPullWorkerMetrics(this.pullWorkerMetrics);
		factory.setObservations(this.observations);
		factory.setConnectionReadiness(this.readiness);
		factory.setDeadLetterReplicas(
				NatsOptionsFactory.replicas("nats.jetstream.replicas", null, this.properties.getJetstream()));
		factory.setFailoverTimeout(NatsOptionsFactory.failoverTimeout(this.properties.getJetstream()));
		factory.setSystemSubjects(NatsOptionsFactory.systemSubjects(this.properties));
	}

}
