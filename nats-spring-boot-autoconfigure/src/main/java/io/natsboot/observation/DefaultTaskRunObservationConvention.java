package io.natsboot.observation;

import io.micrometer.common.KeyValues;
import io.nats.client.Message;

/**
 * natsboot's convention for task runs: span name {@code run <type>}, the task subject as
 * destination, queue, type and outcome as keys, task id and attempt as high-cardinality
 * keys.
 */
public class DefaultTaskRunObservationConvention implements TaskRunObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskRunObservationConvention INSTANCE = new DefaultTaskRunObservationConvention();

	@Override
	public String getName() {
		return TaskObservation.RUN.getName();
	}

	@Override
	public String getContextualName(TaskRunContext context) {
		return "run " + context.getType();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskRunContext context) {
		Message message = context.getCarrier();
		return KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
				NatsObservationKeys.MESSAGING_OPERATION.withValue("run"),
				NatsObservationKeys.DESTINATION_NAME.withValue((message != null) ? message.getSubject() : "unknown"),
				NatsObservationKeys.TASK_QUEUE.withValue(context.getQueue()),
				NatsObservationKeys.TASK_TYPE.withValue(context.getType()),
				NatsObservationKeys.TASK_OUTCOME.withValue(context.getOutcome()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskRunContext context) {
		return KeyValues.of(NatsObservationKeys.TASK_ID.withValue(context.getTaskId()),
				NatsObservationKeys.TASK_ATTEMPT.withValue(String.valueOf(context.getAttempt())));
	}

}
