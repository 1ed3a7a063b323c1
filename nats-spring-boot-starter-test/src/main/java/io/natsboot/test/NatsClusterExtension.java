package io.natsboot.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * JUnit 5 extension behind {@link WithNatsCluster}: starts one {@link NatsClusterProcess}
 * per annotated test class (shared with its {@code @Nested} classes), resolves it as a
 * parameter, and stops it after the class.
 */
public class NatsClusterExtension extends ProcessPerTestClassExtension<WithNatsCluster, NatsClusterProcess> {

	private static final Map<Class<?>, NatsClusterProcess> CLUSTERS_BY_TEST_CLASS = registry();

	/**
	 * Creates the extension; JUnit does, for {@link WithNatsCluster}.
	 */
	public NatsClusterExtension() {
		super(WithNatsCluster.class, NatsClusterProcess.class, CLUSTERS_BY_TEST_CLASS,
				(settings) -> NatsClusterProcess.builder().nodes(settings.nodes()).config(settings.config()).start());
	}

	/**
	 * The cluster started for a test class or for one of its enclosing classes.
	 * @param testClass the test class
	 * @return the running cluster, or null
	 */
	static @Nullable NatsClusterProcess clusterFor(Class<?> testClass) {
		return processFor(CLUSTERS_BY_TEST_CLASS, testClass);
	}

}
