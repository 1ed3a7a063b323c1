package io.natsboot.listener.adapter;

import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

/**
 * Handles a failure of a {@link io.natsboot.annotation.NatsListener} method (or of
 * converting its arguments). Named by
 * {@link io.natsboot.annotation.NatsListener#errorHandler()}.
 */
@FunctionalInterface
public interface NatsListenerErrorHandler {

	/**
	 * Handles a failure.
	 * @param message the message that failed
	 * @param exception the failure (a {@code NatsListenerExecutionFailedException} with
	 * the cause)
	 * @return a value to send as the reply when the message has a reply subject, or null
	 * for none
	 * @throws Exception to have the failure logged (and, for requests, answered with an
	 * error)
	 */
	@Nullable Object handleError(NatsMessage message, Exception exception) throws Exception;

}
