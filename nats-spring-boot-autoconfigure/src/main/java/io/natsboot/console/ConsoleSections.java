package io.natsboot.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.natsboot.core.NatsFailures;

/**
 * Parts of a view that may fail on their own: a part that cannot be read (NATS away, a
 * stream missing) is shown as {@code {"available": false, "reason": ...}} in its place,
 * and the rest of the view as usual.
 */
final class ConsoleSections {

	private ConsoleSections() {
	}

	static Object section(Supplier<?> part) {
		try {
			Object value = part.get();
			return (value != null) ? value : unavailable("nothing to show");
		}
		catch (RuntimeException ex) {
			return unavailable(NatsFailures.rootMessage(ex));
		}
	}

	static Map<String, Object> unavailable(String reason) {
		Map<String, Object> section = new LinkedHashMap<>();
		section.put("available", false);
		section.put("reason", reason);
		return section;
	}

}
