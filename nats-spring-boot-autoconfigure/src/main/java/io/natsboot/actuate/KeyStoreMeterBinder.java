package io.natsboot.actuate;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.natsboot.keystore.KeyStoreCacheStats;
import io.natsboot.keystore.KeyStoreOperations;

/**
 * Meters of the key store's local cache, tagged with the bucket:
 * {@code nats.keystore.cache.hits}, {@code .misses}, {@code .evictions} (counters),
 * {@code .size}, {@code .bytes} and {@code .hit.ratio} (gauges). Operations that reach
 * the backend are timed as {@code nats.keystore.operations} by
 * {@link MicrometerKeyStoreMetrics}.
 */
public class KeyStoreMeterBinder implements MeterBinder {

	private final KeyStoreOperations keyStore;

	/**
	 * Creates the binder.
	 * @param keyStore the key store
	 */
	public KeyStoreMeterBinder(KeyStoreOperations keyStore) {
		this.keyStore = keyStore;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		counter(registry, "nats.keystore.cache.hits", "Reads answered by the local cache", KeyStoreCacheStats::hits);
		counter(registry, "nats.keystore.cache.misses", "Reads that went to the backend", KeyStoreCacheStats::misses);
		counter(registry, "nats.keystore.cache.evictions", "Cache entries dropped for size or cache TTL",
				KeyStoreCacheStats::evictions);
		gauge(registry, "nats.keystore.cache.size", "Entries in the local cache", KeyStoreCacheStats::size);
		gauge(registry, "nats.keystore.cache.bytes", "Estimated bytes held by the local cache",
				KeyStoreCacheStats::estimatedBytes);
		gauge(registry, "nats.keystore.cache.hit.ratio", "Share of reads answered by the local cache",
				KeyStoreCacheStats::hitRatio);
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToDoubleFunction<KeyStoreCacheStats> figure) {
		FunctionCounter.builder(name, this.keyStore, (store) -> figure.applyAsDouble(store.cacheStats()))
			.description(description)
			.tag("bucket", this.keyStore.bucket())
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<KeyStoreCacheStats> figure) {
		Gauge.builder(name, this.keyStore, (store) -> figure.applyAsDouble(store.cacheStats()))
			.description(description)
			.tag("bucket", this.keyStore.bucket())
			.register(registry);
	}

}
