package io.natsboot.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsboot.listener.NatsListenerMetrics;

/**
 * Records {@code @NatsListener} invocations in Micrometer: per listener the
 * {@code nats.listener} timer (tags {@code listener}, {@code outcome}) and the
 * {@code nats.listener.errors} counter.
 */
public class MicrometerListenerMetrics implements NatsListenerMetrics {

	private final MeterRegistry registry;

	private final boolean timers;

	private final Map<String, Timer> listenerSuccesses = new ConcurrentHashMap<>();

	private final Map<String, Timer> listenerFailures = new ConcurrentHashMap<>();

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerListenerMetrics(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates the recorder, with or without its timer.
	 * @param registry where meters go
	 * @param timers whether the {@code nats.listener} timer is recorded
	 * ({@code nats.metrics.legacy-timers}; the observations time the same work)
	 */
	public MicrometerListenerMetrics(MeterRegistry registry, boolean timers) {
		this.registry = registry;
		this.timers = timers;
	}

	@Override
	public void listenerInvoked(String listenerId, String subject, long nanos, boolean success) {
		if (this.timers) {
			recordTime(listenerId, nanos, success);
		}
		if (!success) {
			Counter.builder("nats.listener.errors")
				.description("Failed @NatsListener invocations")
				.tag("listener", listenerId)
				.register(this.registry)
				.increment();
		}
	}

	private void recordTime(String listenerId, long nanos, boolean success) {
		Map<String, Timer> timers = success ? this.listenerSuccesses : this.listenerFailures;
		Timer timer = timers.get(listenerId);
		if (timer == null) {
			timer = timers.computeIfAbsent(listenerId,
					(ignored) -> Timer.builder("nats.listener")
						.description("Time @NatsListener methods take, by listener and outcome")
						.tag("listener", listenerId)
						.tag("outcome", success ? "success" : "failure")
						.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

}
