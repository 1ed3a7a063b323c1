package io.natsboot.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;

import org.springframework.core.NestedExceptionUtils;

/**
 * How natsboot looks at a failure for its logs and records: the handler's own exception without
 * the reflection and proxy wrappers around it, and the message of the deepest cause.
 */
public final class NatsFailures {

	private NatsFailures() {
	}

	/**
	 * The failure a handler threw, without {@link InvocationTargetException} and
	 * {@link UndeclaredThrowableException} around it.
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
	 * The message of a failure's most specific cause.
	 * @param failure the failure
	 * @return the message, {@code "null"} when it has none
	 */
	public static String rootMessage(Throwable failure) {
		return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage());
	}

}
