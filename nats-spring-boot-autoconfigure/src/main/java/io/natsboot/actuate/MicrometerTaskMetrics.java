package io.natsboot.actuate;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsboot.task.TaskMetrics;

/**
 * Records {@code @TaskHandler} runs in Micrometer: per task type the {@code nats.task}
 * timer (tags {@code queue}, {@code type}, {@code outcome}).
 */
public class MicrometerTaskMetrics implements TaskMetrics {

	private final MeterRegistry registry;

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerTaskMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void taskRun(String queue, String type, long nanos, String outcome) {
		Timer.builder("nats.task")
			.description("Task handler runs, by queue, type and outcome (success, retry, dead)")
			.tag("queue", queue)
			.tag("type", type)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
