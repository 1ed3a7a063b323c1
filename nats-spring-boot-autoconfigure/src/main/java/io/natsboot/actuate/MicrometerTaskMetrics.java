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

	private final boolean timers;

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerTaskMetrics(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates the recorder, with or without its timer.
	 * @param registry where meters go
	 * @param timers whether the {@code nats.task} timer is recorded
	 * ({@code nats.metrics.legacy-timers}; the observations time the same work)
	 */
	public MicrometerTaskMetrics(MeterRegistry registry, boolean timers) {
		this.registry = registry;
		this.timers = timers;
	}

	@Override
	public void taskRun(String queue, String type, long nanos, String outcome) {
		if (!this.timers) {
			return;
		}
		Timer.builder("nats.task")
			.description("Task handler runs, by queue, type and outcome (success, retry, dead)")
			.tag("queue", queue)
			.tag("type", type)
			.tag("outcome", outcome)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
