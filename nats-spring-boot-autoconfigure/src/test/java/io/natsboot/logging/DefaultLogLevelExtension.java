package io.natsboot.logging;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Runs a test at the log level a Spring Boot application starts with (root at INFO):
 * outside a Boot application, as with an {@code ApplicationContextRunner}, Logback logs
 * everything down to DEBUG, so what a user sees by default could not be asserted. Puts
 * the root level back after the test.
 */
public class DefaultLogLevelExtension implements BeforeEachCallback, AfterEachCallback {

	private static final Namespace NAMESPACE = Namespace.create(DefaultLogLevelExtension.class);

	private static final Pattern WARNING_OR_ERROR = Pattern.compile("\\b(WARN|ERROR)\\b");

	@Override
	public void beforeEach(ExtensionContext context) {
		LoggingSystem system = LoggingSystem.get(getClass().getClassLoader());
		LoggerConfiguration root = system.getLoggerConfiguration(LoggingSystem.ROOT_LOGGER_NAME);
		LogLevel previous = (root != null) ? root.getConfiguredLevel() : null;
		context.getStore(NAMESPACE).put(LogLevel.class, (previous != null) ? previous : LogLevel.DEBUG);
		system.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		LogLevel previous = context.getStore(NAMESPACE).remove(LogLevel.class, LogLevel.class);
		LoggingSystem.get(getClass().getClassLoader())
			.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, (previous != null) ? previous : LogLevel.DEBUG);
	}

	/**
	 * The lines of a log logged at WARN or ERROR.
	 * @param log the captured output
	 * @return those lines, in order
	 */
	public static List<String> warningsAndErrors(String log) {
		return log.lines().filter((line) -> WARNING_OR_ERROR.matcher(line).find()).toList();
	}

}
