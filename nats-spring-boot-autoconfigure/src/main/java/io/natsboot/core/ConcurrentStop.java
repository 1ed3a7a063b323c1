package io.natsboot.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stops several containers or workers at once, each on a thread of its own, and waits for
 * all: each may drain for up to its drain timeout, so stopping them one after another
 * would add those up. (The common fork-join pool of a parallel stream is shared with the
 * application and may have fewer threads than there are containers.)
 */
public final class ConcurrentStop {

	private ConcurrentStop() {
	}

	/**
	 * Stops every item and returns when all have stopped.
	 * @param <T> the kind of item
	 * @param items the items
	 * @param stop how to stop one
	 * @param name the thread name for an item
	 */
	public static <T> void stopAll(Collection<T> items, Consumer<T> stop, Function<T, String> name) {
		if (items.size() == 1) {
			stop.accept(items.iterator().next());
			return;
		}
		List<Thread> threads = new ArrayList<>();
		for (T item : items) {
			Thread thread = NatsThreads.daemon(name.apply(item)).newThread(() -> stop.accept(item));
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
