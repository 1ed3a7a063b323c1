package io.natsboot.keystore.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.natsboot.keystore.EntryDraft;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.StoredEntry;
import io.natsboot.keystore.WriteCondition;
import org.jspecify.annotations.Nullable;

/**
 * A key store backend in this JVM's memory: one bucket and namespace of a
 * {@link MemoryKeyValueStore}. Same semantics as the NATS and Redis backends (versions,
 * revisions, conditions, expiry, watch events); nothing survives a restart.
 */
public class MemoryKeyValueBackend implements KeyValueBackend {

	private final MemoryKeyValueStore.Space space;

	private final String bucket;

	MemoryKeyValueBackend(MemoryKeyValueStore.Space space, String bucket) {
		this.space = space;
		this.bucket = bucket;
	}

	@Override
	public String name() {
		return "memory";
	}

	@Override
	public @Nullable StoredEntry get(String key) {
		StoredEntry entry = this.space.entries.get(key);
		return (entry != null && !entry.metadata().isExpiredAt(Instant.now())) ? entry : null;
	}

	@Override
	public @Nullable KeyMetadata write(String key, EntryDraft draft, WriteCondition condition) {
		// one writer at a time per namespace, so that events go out in revision order
		synchronized (this.space) {
			return writeInOrder(key, draft, condition);
		}
	}

	private @Nullable KeyMetadata writeInOrder(String key, EntryDraft draft, WriteCondition condition) {
		AtomicReference<@Nullable StoredEntry> written = new AtomicReference<>();
		this.space.entries.compute(key, (k, old) -> {
			KeyMetadata current = (old != null && !old.metadata().isExpiredAt(Instant.now())) ? old.metadata() : null;
			if (!condition.isMetBy(current)) {
				return old;
			}
			StoredEntry entry = new StoredEntry(draft.toMetadata(key, current, this.space.revisions.incrementAndGet()),
					draft.value());
			written.set(entry);
			return entry;
		});
		StoredEntry entry = written.get();
		if (entry == null) {
			return null;
		}
		this.space.publish(new KeyEvent(KeyEvent.Type.PUT, key, entry.metadata().revision(), entry.metadata()));
		return entry.metadata();
	}

	@Override
	public boolean delete(String key, WriteCondition condition) {
		synchronized (this.space) {
			return deleteInOrder(key, condition);
		}
	}

	private boolean deleteInOrder(String key, WriteCondition condition) {
		AtomicBoolean deleted = new AtomicBoolean();
		AtomicReference<Long> revision = new AtomicReference<>(0L);
		this.space.entries.computeIfPresent(key, (k, old) -> {
			boolean live = !old.metadata().isExpiredAt(Instant.now());
			if (!condition.isMetBy(live ? old.metadata() : null)) {
				return old;
			}
			deleted.set(live);
			revision.set(this.space.revisions.incrementAndGet());
			return null;
		});
		if (deleted.get()) {
			this.space.publish(new KeyEvent(KeyEvent.Type.DELETE, key, revision.get(), null));
		}
		return deleted.get();
	}

	@Override
	public List<String> keys(String prefix) {
		Instant now = Instant.now();
		return this.space.entries.entrySet()
			.stream()
			.filter((mapping) -> mapping.getKey().startsWith(prefix) && !mapping.getValue().metadata().isExpiredAt(now))
			.map(Map.Entry::getKey)
			.toList();
	}

	@Override
	public AutoCloseable subscribe(Listener listener) {
		this.space.listeners.add(listener);
		listener.onWatchResumed();
		return () -> this.space.listeners.remove(listener);
	}

	@Override
	public void publishCacheClear() {
		this.space.listeners.forEach(Listener::onCacheClear);
	}

	@Override
	public KeyStoreStats stats() {
		Instant now = Instant.now();
		long total = 0;
		long withTtl = 0;
		for (StoredEntry entry : this.space.entries.values()) {
			if (!entry.metadata().isExpiredAt(now)) {
				total++;
				if (entry.metadata().expiresAt() != null) {
					withTtl++;
				}
			}
		}
		return new KeyStoreStats(total, withTtl, name(), describe());
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("backend", name());
		details.put("bucket", this.bucket);
		details.put("entries", this.space.entries.size());
		return details;
	}

	@Override
	public Duration ping() {
		return Duration.ZERO;
	}

	@Override
	public void close() {
	}

}
