package io.natsboot.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.springframework.core.NestedExceptionUtils;

/**
 * How natsboot looks at a failure for its logs and records: the exception itself without
 * the reflection, proxy and future wrappers around it, and the message of the deepest
 * cause.
 */
public final class NatsFailures {

	private NatsFailures() {
	}

	/**
	 * The failure itself, without the wrappers a call puts around it on its way out:
	 * {@link InvocationTargetException} (a reflective handler call),
	 * {@link UndeclaredThrowableException} (a proxy), {@link ExecutionException} and
	 * {@link CompletionException} (a future).
	 * @param failure what the call threw or the future completed with
	 * @return the exception that was thrown first
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException
				|| current instanceof ExecutionException || current instanceof CompletionException)
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
