package io.natsboot.keystore.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.natsboot.core.NatsThreads;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.KeyValueBackendFactory;
import io.natsboot.keystore.StoredEntry;

import org.springframework.beans.factory.DisposableBean;

/**
 * The entries of the in-memory key store, shared by every {@link MemoryKeyValueBackend}
 * made from it, so that several key store templates in one JVM behave like instances on
 * one server. Expired entries are removed by one sweep over all buckets (no thread per
 * key), which tells the watchers with {@code EXPIRED} events; reads treat them as absent
 * before that.
 */
public class MemoryKeyValueStore implements KeyValueBackendFactory, DisposableBean {

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final ScheduledExecutorService sweeper;

	/**
	 * Creates a store that sweeps expired entries every second.
	 */
	public MemoryKeyValueStore() {
		this(Duration.ofSeconds(1));
	}

	/**
	 * Creates a store.
	 * @param sweepInterval how often expired entries are removed
	 */
	public MemoryKeyValueStore(Duration sweepInterval) {
		this.sweeper = Executors
			.newSingleThreadScheduledExecutor(NatsThreads.daemon("natsboot-keystore-memory-sweeper"));
		long millis = Math.max(10, sweepInterval.toMillis());
		this.sweeper.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public MemoryKeyValueBackend create(String bucket, String namespace) {
		return new MemoryKeyValueBackend(this.buckets.computeIfAbsent(bucket, (name) -> new Bucket()).space(namespace),
				bucket);
	}

	/**
	 * Removes the expired entries of every bucket now.
	 */
	public void sweep() {
		Instant now = Instant.now();
		for (Bucket bucket : this.buckets.values()) {
			for (Space space : bucket.spaces.values()) {
				space.entries.forEach((key, entry) -> {
					synchronized (space) {
						if (entry.metadata().isExpiredAt(now) && space.entries.remove(key, entry)) {
							space.publish(
									new KeyEvent(KeyEvent.Type.EXPIRED, key, bucket.revisions.incrementAndGet(), null));
						}
					}
				});
			}
		}
	}

	@Override
	public void destroy() {
		this.sweeper.shutdownNow();
	}

	static final class Bucket {

		final AtomicLong revisions = new AtomicLong();

		final Map<String, Space> spaces = new ConcurrentHashMap<>();

		Space space(String namespace) {
			return this.spaces.computeIfAbsent(namespace, (name) -> new Space(this.revisions));
		}

	}

	static final class Space {

		final AtomicLong revisions;

		final Map<String, StoredEntry> entries = new ConcurrentHashMap<>();

		final CopyOnWriteArrayList<KeyValueBackend.Listener> listeners = new CopyOnWriteArrayList<>();

		Space(AtomicLong revisions) {
			this.revisions = revisions;
		}

		void publish(KeyEvent event) {
			this.listeners.forEach((listener) -> listener.onEvent(event));
		}

	}

}
