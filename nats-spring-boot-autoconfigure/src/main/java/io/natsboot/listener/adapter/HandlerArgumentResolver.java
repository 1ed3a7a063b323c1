package io.natsboot.listener.adapter;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;

/**
 * Resolves a handler-method argument that the {@link HandlerMethodInvoker} does not know
 * itself, e.g. the task package's {@code TaskContext}. Which parameters it takes is
 * decided once, when the invoker is created; {@link #resolveArgument} runs for each
 * message and should not allocate.
 */
public interface HandlerArgumentResolver {

	/**
	 * Whether this resolver supplies the parameter.
	 * @param parameter the parameter
	 * @return true to take it
	 */
	boolean supportsParameter(MethodParameter parameter);

	/**
	 * Resolves the argument for one message.
	 * @param parameter the parameter, one this resolver supports
	 * @param message the message
	 * @param jetStreamMessage the JetStream message, or null for a core NATS message
	 * @param context what the caller passed to {@link HandlerMethodInvoker#invoke}, or
	 * null
	 * @return the argument
	 */
	@Nullable Object resolveArgument(MethodParameter parameter, NatsMessage message, @Nullable JetStreamMessage jetStreamMessage,
			@Nullable Object context);

}
