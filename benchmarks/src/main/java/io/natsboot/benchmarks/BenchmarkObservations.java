package io.natsboot.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * What observes a benchmark's application: nothing (no {@code ObservationRegistry}),
 * Micrometer Tracing with its no-op tracer (as an application with micrometer-tracing and
 * no bridge: every observation is made, started, scoped and stopped, its trace context is
 * injected and extracted, nothing is recorded), or that and Boot's meter handler too (a
 * timer per observation, as with Actuator).
 */
public enum BenchmarkObservations {

	/** No observation registry. */
	OFF,

	/** The tracing handlers with the no-op tracer and propagator. */
	NOOP_TRACER,

	/** Those, and a timer per observation. */
	NOOP_TRACER_AND_TIMERS;

	/**
	 * The registry of this choice.
	 * @param meters the meters of the timer handler
	 * @return the registry
	 */
	ObservationRegistry registry(MeterRegistry meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(Tracer.NOOP, Propagator.NOOP),
					new PropagatingReceiverTracingObservationHandler<>(Tracer.NOOP, Propagator.NOOP),
					new DefaultTracingObservationHandler(Tracer.NOOP)));
		if (this == NOOP_TRACER_AND_TIMERS) {
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		}
		return registry;
	}

}
