package io.natsboot.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import org.springframework.core.NestedExceptionUtils;

/**
 * How natsboot looks at a failure for its logs and records: the exception itself without
 * the reflection and proxy wrappers, or the future's wrapper, around it, and the message
 * of the deepest cause.
 */
public final class NatsFailures {

	private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");

	private NatsFailures() {
	}

	/**
	 * The failure a handler threw, without the {@link InvocationTargetException} and
	 * {@link UndeclaredThrowableException} a reflective call and a proxy put around it.
	 * @param failure what the invocation threw
	 * @return the handler's own exception
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The failure a future completed with, without the {@link CompletionException} or
	 * {@link ExecutionException} the future put around it.
	 * @param failure what the future's callback or {@code get()} saw
	 * @return the failure of the work itself
	 */
	public static Throwable futureCause(Throwable failure) {
		return ((failure instanceof CompletionException || failure instanceof ExecutionException)
				&& failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * The message of a failure's most specific cause.
	 * @param failure the failure
	 * @return the message, {@code "null"} when it has none
	 */
	public static String rootMessage(Throwable failure) {
		return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
	}

	/**
	 * Folds a text onto one line, so that a log line stays one line (parsers' messages
	 * often point at the input's line and column on a line of their own).
	 * @param text the text
	 * @return the text with each line break and the blanks around it as one space
	 */
	public static String oneLine(String text) {
		return LINE_BREAKS.matcher(text.strip()).replaceAll(" ");
	}

}
