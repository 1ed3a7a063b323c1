package io.natsboot.actuate;

import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.natsboot.jetstream.PullWorkerMetrics;

/**
 * Records what durable listeners and task workers do with their consumers in Micrometer,
 * tagged {@code listener} with the listener's or worker's id (task workers as
 * {@code tasks-<queue>}): the counters {@code nats.listener.redeliveries} and
 * {@code nats.listener.dead.letters} and the gauges
 * {@code nats.listener.consumer.pending} (lag),
 * {@code nats.listener.consumer.ack.pending} and
 * {@code nats.listener.consumer.redelivered}.
 */
public class MicrometerPullWorkerMetrics implements PullWorkerMetrics {

	private final MeterRegistry registry;

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerPullWorkerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void redelivered(String workerId) {
		Counter.builder("nats.listener.redeliveries")
			.description("Messages a durable listener received again (retries and redeliveries)")
			.tag("listener", workerId)
			.register(this.registry)
			.increment();
	}

	@Override
	public void deadLettered(String workerId) {
		Counter.builder("nats.listener.dead.letters")
			.description("Messages a durable listener moved to dead letters")
			.tag("listener", workerId)
			.register(this.registry)
			.increment();
	}

	@Override
	public void consumerStarted(String workerId, LongSupplier pending, LongSupplier ackPending,
			LongSupplier redelivered) {
		gauge("nats.listener.consumer.pending", "Messages not yet delivered to the durable consumer (lag)", workerId,
				pending);
		gauge("nats.listener.consumer.ack.pending",
				"Messages delivered to the durable consumer and not yet acknowledged", workerId, ackPending);
		gauge("nats.listener.consumer.redelivered", "Unacknowledged messages delivered more than once", workerId,
				redelivered);
	}

	private void gauge(String name, String description, String workerId, LongSupplier value) {
		Gauge.builder(name, value::getAsLong)
			.description(description)
			.tag("listener", workerId)
			.strongReference(true)
			.register(this.registry);
	}

}
