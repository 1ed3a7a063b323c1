package io.natsboot.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a default convention computed for one kind of message (its span name and keys), by
 * what they depend on: Micrometer asks a convention for them when an observation starts
 * and again when it stops, and building key values costs more than the publish they
 * describe. At most {@value #MAX_ENTRIES} kinds are kept; past that, values are computed
 * each time, so per-message subjects cannot grow it without end.
 *
 * @param <K> what the values depend on
 * @param <V> the values
 */
final class ConventionCache<K, V> {

	static final int MAX_ENTRIES = 1024;

	private final Map<K, V> entries = new ConcurrentHashMap<>();

	private final Function<K, V> compute;

	ConventionCache(Function<K, V> compute) {
		this.compute = compute;
	}

	V get(K key) {
		V cached = this.entries.get(key);
		if (cached != null) {
			return cached;
		}
		V computed = this.compute.apply(key);
		if (this.entries.size() < MAX_ENTRIES) {
			this.entries.putIfAbsent(key, computed);
		}
		return computed;
	}

}
