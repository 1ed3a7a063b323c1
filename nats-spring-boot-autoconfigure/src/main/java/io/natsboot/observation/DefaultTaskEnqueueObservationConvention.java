package io.natsboot.observation;

import io.micrometer.common.KeyValues;

/**
 * natsboot's convention for enqueues: span name {@code enqueue <type>}, the task subject
 * (queue, priority and type) as destination, the queue and type as keys of their own, the
 * task id as high-cardinality key.
 */
public class DefaultTaskEnqueueObservationConvention implements TaskEnqueueObservationConvention {

	/** The shared instance. */
	public static final DefaultTaskEnqueueObservationConvention INSTANCE = new DefaultTaskEnqueueObservationConvention();

	@Override
	public String getName() {
		return TaskObservation.ENQUEUE.getName();
	}

	@Override
	public String getContextualName(TaskEnqueueContext context) {
		return "enqueue " + context.getType();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskEnqueueContext context) {
		return KeyValues.of(NatsObservationKeys.MESSAGING_SYSTEM.withValue("nats"),
				NatsObservationKeys.MESSAGING_OPERATION.withValue("enqueue"),
				NatsObservationKeys.DESTINATION_NAME.withValue(context.getSubject()),
				NatsObservationKeys.TASK_QUEUE.withValue(context.getQueue()),
				NatsObservationKeys.TASK_TYPE.withValue(context.getType()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskEnqueueContext context) {
		return KeyValues.of(NatsObservationKeys.TASK_ID.withValue(context.getTaskId()));
	}

}
