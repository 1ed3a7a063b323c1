package io.natsboot.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points {@code nats.servers} of a Spring test context at the server that
 * {@link WithNatsServer} started for the test class, or at every node of the cluster that
 * {@link WithNatsCluster} started. The customizer is part of the context cache key, so a
 * cached context never outlives its server.
 */
class NatsServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, WithNatsServer.class)
				&& !TestContextAnnotationUtils.hasAnnotation(testClass, WithNatsCluster.class)) {
			return null;
		}
		return new NatsServerContextCustomizer(testClass);
	}

	private static final class NatsServerContextCustomizer implements ContextCustomizer {

		private final Class<?> testClass;

		NatsServerContextCustomizer(Class<?> testClass) {
			this.testClass = testClass;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("natsServerTest", Map.of("nats.servers", servers())));
		}

		private String servers() {
			NatsServerProcess server = NatsServerExtension.serverFor(this.testClass);
			if (server != null) {
				return server.url();
			}
			NatsClusterProcess cluster = NatsClusterExtension.clusterFor(this.testClass);
			if (cluster != null) {
				return cluster.urls();
			}
			throw new IllegalStateException("@WithNatsServer or @WithNatsCluster on " + this.testClass.getName()
					+ " has no running server; is the test run by JUnit Jupiter?");
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof NatsServerContextCustomizer customizer && customizer.testClass == this.testClass;
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(this.testClass);
		}

	}

}
