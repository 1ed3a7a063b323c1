package io.natsboot.task;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import io.natsboot.listener.adapter.HandlerArgumentResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;

/**
 * What the task queue adds to the listener arguments: a {@link TaskContext} parameter
 * takes the running task's context, which the dispatcher passes to each call.
 */
final class TaskContextArgumentResolver implements HandlerArgumentResolver {

	/** The one instance: it holds nothing. */
	static final TaskContextArgumentResolver INSTANCE = new TaskContextArgumentResolver();

	private TaskContextArgumentResolver() {
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == TaskContext.class;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, NatsMessage message,
			@Nullable JetStreamMessage jetStreamMessage, @Nullable Object context) {
		return context;
	}

}
