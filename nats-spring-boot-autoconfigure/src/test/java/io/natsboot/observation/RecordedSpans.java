package io.natsboot.observation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;

import org.awaitility.Awaitility;

/**
 * The spans Brave finished, in every application context the test starts: one instance is
 * the {@link SpanHandler} bean of each, so a trace that crosses contexts is here whole.
 */
final class RecordedSpans extends SpanHandler {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	@Override
	public boolean end(TraceContext context, MutableSpan span, Cause cause) {
		if (cause == Cause.FINISHED) {
			this.spans.add(span);
		}
		return true;
	}

	/**
	 * Waits for spans of a name.
	 * @param name the span name
	 * @param count how many
	 * @return them, in the order they finished
	 */
	List<MutableSpan> await(String name, int count) {
		return await((span) -> name.equals(span.name()), count);
	}

	List<MutableSpan> await(Predicate<MutableSpan> filter, int count) {
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> matching(filter).size() >= count);
		return matching(filter);
	}

	MutableSpan one(String name) {
		return await(name, 1).get(0);
	}

	List<MutableSpan> all() {
		return List.copyOf(this.spans);
	}

	private List<MutableSpan> matching(Predicate<MutableSpan> filter) {
		return this.spans.stream().filter(filter).toList();
	}

}
