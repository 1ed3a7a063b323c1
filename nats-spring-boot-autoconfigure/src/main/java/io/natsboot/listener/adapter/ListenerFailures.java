package io.natsboot.listener.adapter;

import java.util.stream.Collectors;

import io.natsboot.core.NatsConversionException;
import io.natsboot.core.NatsFailures;

import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * Classifies and describes failures of handler methods, listeners and task handlers
 * alike: the one rule for what is a conversion failure (error reply 400 for a request, no
 * retry for a durable listener or a task), and the one-line description of a failure.
 */
public final class ListenerFailures {

	private ListenerFailures() {
	}

	/**
	 * Whether a failure means the message cannot be read as the handler's arguments (so a
	 * retry cannot help), whichever binding read them: natsboot's or spring-messaging's
	 * resolvers.
	 * @param failure the failure
	 * @return true for conversion, argument resolution and validation failures
	 */
	public static boolean isConversionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NatsConversionException || cause instanceof MessageConversionException
					|| cause instanceof MethodArgumentResolutionException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Describes in one line why a message could not be read as a handler's arguments: the
	 * fields and constraints of a validation failure, else the message of the conversion
	 * failure itself, which names the subject, the target type and the cause (the root
	 * cause's message alone would leave out the type). For logs, where such a failure is
	 * a property of the message: its stack trace shows only natsboot's frames.
	 * @param failure a failure for which {@link #isConversionFailure} holds
	 * @return the description, without line breaks
	 */
	public static String describeConversionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MethodArgumentNotValidException) {
				return NatsFailures.oneLine(describe(failure));
			}
			if (cause instanceof NatsConversionException || cause instanceof MessageConversionException
					|| cause instanceof MethodArgumentResolutionException) {
				return NatsFailures.oneLine(String.valueOf(cause.getMessage()));
			}
		}
		return NatsFailures.oneLine(describe(failure));
	}

	/**
	 * Describes a failure in one line: the fields and constraints of a validation
	 * failure, else the root cause's message.
	 * @param failure the failure
	 * @return the description
	 */
	public static String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MethodArgumentNotValidException invalid && invalid.getBindingResult() != null) {
				// name the fields and constraints, not the whole binding result
				return "invalid payload: " + invalid.getBindingResult()
					.getFieldErrors()
					.stream()
					.map((error) -> error.getField() + " " + error.getDefaultMessage())
					.sorted()
					.collect(Collectors.joining(", "));
			}
		}
		return NatsFailures.rootMessage(failure);
	}

}
