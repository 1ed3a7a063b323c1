package io.natsboot.observation;

import java.util.Arrays;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The key values of one observation context, kept as immutable {@link KeyValues}. A
 * context of Micrometer's own keeps them in two {@code ConcurrentHashMap}s filled key by
 * key when the observation starts and again when it stops, which was most of what an
 * observation of a core publish cost; the contexts of the hot paths keep them here, where
 * the same key values a convention hands out twice are stored once.
 */
final class KeyValueStore {

	private static final KeyValues EMPTY = KeyValues.empty();

	private volatile KeyValues values = EMPTY;

	KeyValues get() {
		return this.values;
	}

	@Nullable KeyValue get(String key) {
		for (KeyValue value : this.values) {
			if (value.getKey().equals(key)) {
				return value;
			}
		}
		return null;
	}

	synchronized void add(KeyValues added) {
		KeyValues current = this.values;
		if (current == added) {
			return;
		}
		if (current == EMPTY || current.equals(added)) {
			// later values win: the same ones again change nothing
			this.values = added;
		}
		else {
			this.values = current.and(added);
		}
	}

	synchronized void add(KeyValue added) {
		this.values = this.values.and(added);
	}

	synchronized void remove(@Nullable String... keys) {
		List<@Nullable String> removed = Arrays.asList(keys);
		this.values = KeyValues.of(this.values.stream().filter((value) -> !removed.contains(value.getKey())).toList());
	}

	static KeyValues all(KeyValueStore low, KeyValueStore high) {
		KeyValues highValues = high.get();
		return (highValues == EMPTY) ? low.get() : low.get().and(highValues);
	}

}
