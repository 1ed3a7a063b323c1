package io.natsboot.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link WithNatsCluster}: starts one {@link NatsClusterProcess} per
 * annotated test class (shared with its {@code @Nested} classes), resolves it as a parameter, and
 * stops it after the class.
 */
public class NatsClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(NatsClusterExtension.class);

	private static final Map<Class<?>, NatsClusterProcess> CLUSTERS_BY_TEST_CLASS = new ConcurrentHashMap<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		if (context.getStore(NAMESPACE).get(NatsClusterProcess.class) != null) {
			return; // a @Nested class shares its enclosing class's cluster
		}
		Class<?> testClass = context.getRequiredTestClass();
		WithNatsCluster settings = AnnotationSupport.findAnnotation(testClass, WithNatsCluster.class)
			.orElseThrow(() -> new IllegalStateException(testClass.getName() + " is not annotated @WithNatsCluster"));
		NatsClusterProcess cluster = NatsClusterProcess.builder()
			.nodes(settings.nodes())
			.config(settings.config())
			.start();
		context.getStore(NAMESPACE).put(NatsClusterProcess.class, cluster);
		context.getStore(NAMESPACE).put(Class.class, testClass);
		CLUSTERS_BY_TEST_CLASS.put(testClass, cluster);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Class<?> owner = context.getStore(NAMESPACE).get(Class.class, Class.class);
		if (owner != context.getRequiredTestClass()) {
			return;
		}
		NatsClusterProcess cluster = context.getStore(NAMESPACE).remove(NatsClusterProcess.class,
				NatsClusterProcess.class);
		CLUSTERS_BY_TEST_CLASS.remove(owner);
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == NatsClusterProcess.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		NatsClusterProcess cluster = extensionContext.getStore(NAMESPACE)
			.get(NatsClusterProcess.class, NatsClusterProcess.class);
		if (cluster == null) {
			throw new IllegalStateException("No NATS cluster is running for " + extensionContext.getDisplayName());
		}
		return cluster;
	}

	/**
	 * The cluster started for a test class or for one of its enclosing classes.
	 * @param testClass the test class
	 * @return the running cluster, or null
	 */
	static @Nullable NatsClusterProcess clusterFor(Class<?> testClass) {
		for (Class<?> candidate = testClass; candidate != null; candidate = candidate.getEnclosingClass()) {
			NatsClusterProcess cluster = CLUSTERS_BY_TEST_CLASS.get(candidate);
			if (cluster != null) {
				return cluster;
			}
		}
		return null;
	}

}
