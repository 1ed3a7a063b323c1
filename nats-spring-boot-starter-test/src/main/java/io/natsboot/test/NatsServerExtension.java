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
 * JUnit 5 extension behind {@link WithNatsServer}: starts one {@link NatsServerProcess} per
 * annotated test class (shared with its {@code @Nested} classes), resolves it as a parameter, and
 * stops it after the class.
 */
public class NatsServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(NatsServerExtension.class);

	private static final Map<Class<?>, NatsServerProcess> SERVERS_BY_TEST_CLASS = new ConcurrentHashMap<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		if (context.getStore(NAMESPACE).get(NatsServerProcess.class) != null) {
			return; // a @Nested class shares its enclosing class's server
		}
		Class<?> testClass = context.getRequiredTestClass();
		WithNatsServer settings = AnnotationSupport.findAnnotation(testClass, WithNatsServer.class)
			.orElseThrow(() -> new IllegalStateException(testClass.getName() + " is not annotated @WithNatsServer"));
		NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(settings.jetStream())
			.config(settings.config())
			.start();
		context.getStore(NAMESPACE).put(NatsServerProcess.class, server);
		context.getStore(NAMESPACE).put(Class.class, testClass);
		SERVERS_BY_TEST_CLASS.put(testClass, server);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Class<?> owner = context.getStore(NAMESPACE).get(Class.class, Class.class);
		if (owner != context.getRequiredTestClass()) {
			return;
		}
		NatsServerProcess server = context.getStore(NAMESPACE).remove(NatsServerProcess.class, NatsServerProcess.class);
		SERVERS_BY_TEST_CLASS.remove(owner);
		if (server != null) {
			server.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == NatsServerProcess.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		NatsServerProcess server = extensionContext.getStore(NAMESPACE)
			.get(NatsServerProcess.class, NatsServerProcess.class);
		if (server == null) {
			throw new IllegalStateException("No nats-server is running for " + extensionContext.getDisplayName());
		}
		return server;
	}

	/**
	 * The server started for a test class or for one of its enclosing classes.
	 * @param testClass the test class
	 * @return the running server, or null
	 */
	static @Nullable NatsServerProcess serverFor(Class<?> testClass) {
		for (Class<?> candidate = testClass; candidate != null; candidate = candidate.getEnclosingClass()) {
			NatsServerProcess server = SERVERS_BY_TEST_CLASS.get(candidate);
			if (server != null) {
				return server;
			}
		}
		return null;
	}

}
