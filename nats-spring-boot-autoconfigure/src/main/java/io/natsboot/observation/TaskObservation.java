package io.natsboot.observation;

import java.util.function.Supplier;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observations of the task queue, switched by {@code nats.observation.task-queue}:
 * the enqueue writes its trace context into the task, and each attempt to run it is a
 * child of that enqueue, retries included.
 */
public enum TaskObservation implements ObservationDocumentation {

	/** A task enqueued, until its stream stored it. */
	ENQUEUE {
		@Override
		public String getName() {
			return "nats.task.enqueue";
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskEnqueueObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME, NatsObservationKeys.TASK_QUEUE,
					NatsObservationKeys.TASK_TYPE };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.TASK_ID };
		}
	},

	/** One attempt to run a task: its handler, and how the attempt ended. */
	RUN {
		@Override
		public String getName() {
			return "nats.task.run";
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskRunObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.MESSAGING_SYSTEM, NatsObservationKeys.MESSAGING_OPERATION,
					NatsObservationKeys.DESTINATION_NAME, NatsObservationKeys.TASK_QUEUE, NatsObservationKeys.TASK_TYPE,
					NatsObservationKeys.TASK_OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { NatsObservationKeys.TASK_ID, NatsObservationKeys.TASK_ATTEMPT };
		}
	};

	/**
	 * Starts this observation under its documented name, whatever name the convention
	 * gives (none, for natsboot's: they serve several observations).
	 */
	@Override
	public <T extends Observation.Context> Observation start(@Nullable ObservationConvention<T> customConvention,
			ObservationConvention<T> defaultConvention, Supplier<T> contextSupplier, ObservationRegistry registry) {
		return NamedObservations.start(this, customConvention, defaultConvention, contextSupplier, registry);
	}

}
