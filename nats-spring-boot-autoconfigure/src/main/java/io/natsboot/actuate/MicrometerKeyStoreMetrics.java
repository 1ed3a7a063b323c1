package io.natsboot.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsboot.keystore.KeyStoreMetrics;

/**
 * Records key store operations that reached the backend in Micrometer: the
 * {@code nats.keystore.operations} timer (tags {@code bucket}, {@code operation},
 * {@code outcome}). The cache's figures are bound by {@link KeyStoreMeterBinder}.
 */
public class MicrometerKeyStoreMetrics implements KeyStoreMetrics {

	private final MeterRegistry registry;

	private final boolean timers;

	private final Map<KeyStoreOperation, Timer> keyStoreOperations = new ConcurrentHashMap<>();

	/**
	 * Creates the recorder.
	 * @param registry where meters go
	 */
	public MicrometerKeyStoreMetrics(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates the recorder, with or without its timer.
	 * @param registry where meters go
	 * @param timers whether the {@code nats.keystore.operations} timer is recorded
	 * ({@code nats.metrics.legacy-timers}; the observations time the same work)
	 */
	public MicrometerKeyStoreMetrics(MeterRegistry registry, boolean timers) {
		this.registry = registry;
		this.timers = timers;
	}

	@Override
	public void keyStoreOperation(String bucket, String operation, long nanos, String outcome) {
		if (!this.timers) {
			return;
		}
		KeyStoreOperation key = new KeyStoreOperation(bucket, operation, outcome);
		Timer timer = this.keyStoreOperations.get(key);
		if (timer == null) {
			timer = this.keyStoreOperations.computeIfAbsent(key,
					(k) -> Timer.builder("nats.keystore.operations")
						.description("Key store operations that reached the backend, by bucket, operation and outcome")
						.tag("bucket", bucket)
						.tag("operation", operation)
						.tag("outcome", outcome)
						.register(this.registry));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	private record KeyStoreOperation(String bucket, String operation, String outcome) {
	}

}
