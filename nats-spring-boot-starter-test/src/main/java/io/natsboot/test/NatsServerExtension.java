package io.natsboot.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * JUnit 5 extension behind {@link WithNatsServer}: starts one {@link NatsServerProcess}
 * per annotated test class (shared with its {@code @Nested} classes), resolves it as a
 * parameter, and stops it after the class.
 */
public class NatsServerExtension extends ProcessPerTestClassExtension<WithNatsServer, NatsServerProcess> {

	private static final Map<Class<?>, NatsServerProcess> SERVERS_BY_TEST_CLASS = registry();

	/**
	 * Creates the extension; JUnit does, for {@link WithNatsServer}.
	 */
	public NatsServerExtension() {
		super(WithNatsServer.class, NatsServerProcess.class, SERVERS_BY_TEST_CLASS,
				(settings) -> NatsServerProcess.builder()
					.jetStream(settings.jetStream())
					.config(settings.config())
					.start());
	}

	/**
	 * The server started for a test class or for one of its enclosing classes.
	 * @param testClass the test class
	 * @return the running server, or null
	 */
	static @Nullable NatsServerProcess serverFor(Class<?> testClass) {
		return processFor(SERVERS_BY_TEST_CLASS, testClass);
	}

}
