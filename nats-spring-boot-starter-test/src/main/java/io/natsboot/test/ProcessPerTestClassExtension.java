package io.natsboot.test;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What {@link NatsServerExtension} and {@link NatsClusterExtension} share: one process (a
 * server, a cluster) per annotated test class, shared with its {@code @Nested} classes,
 * resolved as a parameter of its type, closed after the class, and found by test class
 * for the Spring context customizer.
 *
 * @param <A> the annotation that asks for the process
 * @param <P> the process
 */
abstract class ProcessPerTestClassExtension<A extends Annotation, P extends AutoCloseable>
		implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final Class<A> annotation;

	private final Class<P> processType;

	private final Map<Class<?>, P> processesByTestClass;

	private final Function<A, P> starter;

	private final ExtensionContext.Namespace namespace = ExtensionContext.Namespace.create(getClass());

	/**
	 * Creates the extension.
	 * @param annotation the annotation on test classes
	 * @param processType the process's type, which test parameters declare
	 * @param processesByTestClass the running processes of this kind, by test class
	 * @param starter starts the process an annotation describes
	 */
	ProcessPerTestClassExtension(Class<A> annotation, Class<P> processType, Map<Class<?>, P> processesByTestClass,
			Function<A, P> starter) {
		this.annotation = annotation;
		this.processType = processType;
		this.processesByTestClass = processesByTestClass;
		this.starter = starter;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (context.getStore(this.namespace).get(this.processType) != null) {
			return; // a @Nested class shares its enclosing class's process
		}
		Class<?> testClass = context.getRequiredTestClass();
		A settings = AnnotationSupport.findAnnotation(testClass, this.annotation)
			.orElseThrow(() -> new IllegalStateException(
					testClass.getName() + " is not annotated @" + this.annotation.getSimpleName()));
		P process = this.starter.apply(settings);
		context.getStore(this.namespace).put(this.processType, process);
		context.getStore(this.namespace).put(Class.class, testClass);
		this.processesByTestClass.put(testClass, process);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		Class<?> owner = context.getStore(this.namespace).get(Class.class, Class.class);
		if (owner != context.getRequiredTestClass()) {
			return;
		}
		P process = context.getStore(this.namespace).remove(this.processType, this.processType);
		this.processesByTestClass.remove(owner);
		if (process != null) {
			process.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == this.processType;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		P process = extensionContext.getStore(this.namespace).get(this.processType, this.processType);
		if (process == null) {
			throw new IllegalStateException(
					"No " + this.processType.getSimpleName() + " is running for " + extensionContext.getDisplayName());
		}
		return process;
	}

	/**
	 * The process started for a test class or for one of its enclosing classes.
	 * @param <P> the process
	 * @param processesByTestClass the running processes, by test class
	 * @param testClass the test class
	 * @return the running process, or null
	 */
	static <P> @Nullable P processFor(Map<Class<?>, P> processesByTestClass, Class<?> testClass) {
		for (Class<?> candidate = testClass; candidate != null; candidate = candidate.getEnclosingClass()) {
			P process = processesByTestClass.get(candidate);
			if (process != null) {
				return process;
			}
		}
		return null;
	}

	static <P> Map<Class<?>, P> registry() {
		return new ConcurrentHashMap<>();
	}

}
