package io.natsboot.keystore.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.SlotHash;
import io.natsboot.keystore.EntryDraft;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreException;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyTimestamps;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.StoredEntry;
import io.natsboot.keystore.WriteCondition;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A key store backend on Redis: one bucket and namespace, made by a
 * {@link RedisKeyValueBackendFactory}.
 * <p>
 * Key layout, with {@code <rest>} = {@code <namespace>:<key>}, or {@code <key>} when the
 * namespace is empty. Every key of a bucket starts with the hash tag {@code {<bucket>}},
 * so that they all hash to one Redis Cluster slot and every script may touch several of
 * them: Redis hashes only the first {@code {...}} of a key, so braces in the user's key
 * never move it to another slot.
 * <ul>
 * <li>{@code {<bucket>}:<rest>}: the value, the plain serialized bytes ({@code GET
 * {keystore}:user:1} in {@code redis-cli} shows the JSON);</li>
 * <li>{@code {<bucket>}#meta:<rest>}: a hash of the metadata, fields {@code version},
 * {@code revision}, {@code format} ({@link KeyFormat#wireName()}), {@code type}
 * (optional), {@code tags} (comma-joined, optional), {@code checksum}, {@code createdAt},
 * {@code updatedAt} and {@code expiresAt} (optional), times as ISO-8601 instants. Bucket
 * names hold no {@code #}, so it never collides with a value key. It gets the same expiry
 * as the value key ({@code PEXPIREAT}), so both vanish together;</li>
 * <li>{@code {<bucket>}#revision}: the bucket's revision counter, one more on every write
 * and delete of any namespace;</li>
 * <li>{@code {<bucket>}#events}: the pub/sub channel of the bucket's changes.</li>
 * </ul>
 * A live value key without metadata (written by another Redis client) reads as version 1,
 * revision 0, {@link KeyFormat#BINARY}, no checksum, created and updated now.
 * <p>
 * Events on {@code {<bucket>}#events}, fields separated by one space, the key last so
 * that it may hold spaces: {@code PUT <revision> <rest>},
 * {@code DELETE <revision> <rest>} and {@code CLEAR <namespace>} (the namespace may be
 * empty). Each is published by the script that makes the change, so events are in
 * revision order and none is missing for a change. PUT events from Redis carry no
 * {@link io.natsboot.keystore.KeyEvent#metadata() metadata} (null): listeners get the key
 * and the revision. {@code EXPIRED} events come from Redis keyspace notifications and
 * have revision 0.
 * <p>
 * Round trips: a read is one {@code EVALSHA} returning the value and the metadata fields;
 * a write or delete is one {@code EVALSHA} that checks the condition against the live
 * entry (value key present and {@code expiresAt}, if any, after the client's time),
 * writes both keys, sets their expiry, increments the revision and publishes the event,
 * atomically. {@link #getAll} and {@link #writeAll} take one script call per
 * {@value #BATCH} keys. {@link #keys} scans ({@code SCAN}, never {@code KEYS}) and then
 * reads the expiry of the keys found, one call per {@value #BATCH} keys, so that an
 * expired key is never listed even before Redis removes it. On a Redis Cluster the scan
 * runs on the master serving the bucket's slot only. With an empty namespace, the keys of
 * namespaced applications sharing the bucket are listed too (applications sharing a
 * bucket each set a namespace).
 */
public class RedisKeyValueBackend implements KeyValueBackend {

	/** Keys per script call of the bulk operations. */
	static final int BATCH = 1000;

	/**
	 * Bytes of values per script call of {@link #writeAll}, so that a call stays small.
	 */
	private static final long BATCH_BYTES = 16L * 1024 * 1024;

	private static final byte[] EMPTY = new byte[0];

	/**
	 * Writes entries, after the functions it shares with {@link #DELETE}
	 * ({@code functions.lua}: the epoch millis of an {@link Instant#toString()}, the live
	 * state of a key, the check of a condition and the write of an entry): KEYS =
	 * revision key, then value key and metadata key per entry; ARGV = now (kept for the
	 * layout: conditions use the server's clock) (epoch millis), channel, condition kind,
	 * expected number, then per entry: rest of the key, value, format, type, tags,
	 * checksum, writtenAt, expiresAt, expiresAt millis ({@code ''} when absent). Returns
	 * version, revision and createdAt per entry, or an empty list when the condition
	 * fails.
	 */
	private static final LoadedScript WRITE = script(List.class, "functions", "write");

	/**
	 * Deletes a live key, after the functions it shares with {@link #WRITE}: KEYS = value
	 * key, metadata key, revision key; ARGV = now (unused: the server's clock decides),
	 * channel, condition kind, expected number, rest of the key. Returns 1 when a live
	 * key was deleted.
	 */
	private static final LoadedScript DELETE = script(Long.class, "functions", "delete");

	/**
	 * Reads entries: KEYS = value key and metadata key per entry. Returns ten items per
	 * entry: the value, then the fields of {@link #FIELDS} (all nil when the value is
	 * absent).
	 */
	private static final LoadedScript READ = script(List.class, "read");

	/**
	 * Inspects keys found by a scan: KEYS = value key and metadata key per entry. Returns
	 * the {@code expiresAt} field (nil when none) and the value key's {@code PTTL} per
	 * entry.
	 */
	private static final LoadedScript INSPECT = script(List.class, "inspect");

	private static final int FIELDS = 9;

	private final RedisKeyValueBackendFactory factory;

	private final RedisConnectionFactory connectionFactory;

	private final String bucket;

	private final String namespace;

	/**
	 * {@code {<bucket>}:<namespace>:} or {@code {<bucket>}:}: what every value key starts
	 * with.
	 */
	private final String valuePrefix;

	/** {@code <namespace>:} or empty: what the rest of every value key starts with. */
	private final String restPrefix;

	private final byte[] valuePrefixBytes;

	private final byte[] metaPrefixBytes;

	private final byte[] revisionKey;

	private final byte[] channel;

	private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();

	RedisKeyValueBackend(RedisKeyValueBackendFactory factory, String bucket, String namespace) {
		this.factory = factory;
		this.connectionFactory = factory.connectionFactory();
		this.bucket = bucket;
		this.namespace = namespace;
		this.restPrefix = namespace.isEmpty() ? "" : namespace + ":";
		this.valuePrefix = hashTag(bucket) + ":" + this.restPrefix;
		this.valuePrefixBytes = utf8(this.valuePrefix);
		this.metaPrefixBytes = utf8(hashTag(bucket) + "#meta:" + this.restPrefix);
		this.revisionKey = utf8(revisionKey(bucket));
		this.channel = utf8(eventChannel(bucket));
	}

	/**
	 * What every key of a bucket starts with: {@code {<bucket>}}, the Redis Cluster hash
	 * tag that puts them all in one slot. Bucket names hold no braces, so the tag is the
	 * bucket name itself.
	 */
	static String hashTag(String bucket) {
		return "{" + bucket + "}";
	}

	static String revisionKey(String bucket) {
		return hashTag(bucket) + "#revision";
	}

	static String eventChannel(String bucket) {
		return hashTag(bucket) + "#events";
	}

	/**
	 * The bucket of a value key, or null when the key is no value key of natsboot's
	 * layout.
	 */
	static @Nullable String bucketOf(String redisKey) {
		int close = redisKey.indexOf('}');
		if (!redisKey.startsWith("{") || close < 2 || redisKey.length() <= close + 1
				|| redisKey.charAt(close + 1) != ':') {
			return null;
		}
		return redisKey.substring(1, close);
	}

	@Override
	public String name() {
		return "redis";
	}

	@Override
	public @Nullable StoredEntry get(String key) {
		try (RedisConnection connection = connection()) {
			byte[] keyBytes = utf8(key);
			List<Object> reply = eval(connection, READ, 2, concat(this.valuePrefixBytes, keyBytes),
					concat(this.metaPrefixBytes, keyBytes));
			return entry(key, reply, 0, Instant.now());
		}
		catch (RuntimeException ex) {
			throw failure("Cannot read key '" + key + "' from", ex);
		}
	}

	@Override
	public Map<String, StoredEntry> getAll(Collection<String> keys) {
		List<String> unique = new ArrayList<>(new LinkedHashSet<>(keys));
		Map<String, StoredEntry> entries = new LinkedHashMap<>();
		if (unique.isEmpty()) {
			return entries;
		}
		try (RedisConnection connection = connection()) {
			for (int from = 0; from < unique.size(); from += BATCH) {
				List<String> batch = unique.subList(from, Math.min(unique.size(), from + BATCH));
				byte[][] keysAndArgs = new byte[batch.size() * 2][];
				for (int i = 0; i < batch.size(); i++) {
					byte[] keyBytes = utf8(batch.get(i));
					keysAndArgs[2 * i] = concat(this.valuePrefixBytes, keyBytes);
					keysAndArgs[2 * i + 1] = concat(this.metaPrefixBytes, keyBytes);
				}
				List<Object> reply = eval(connection, READ, keysAndArgs.length, keysAndArgs);
				Instant now = Instant.now();
				for (int i = 0; i < batch.size(); i++) {
					StoredEntry entry = entry(batch.get(i), reply, i * (FIELDS + 1), now);
					if (entry != null) {
						entries.put(batch.get(i), entry);
					}
				}
			}
			return entries;
		}
		catch (RuntimeException ex) {
			throw failure("Cannot read " + unique.size() + " keys (first '" + unique.get(0) + "') from", ex);
		}
	}

	@Override
	public @Nullable KeyMetadata write(String key, EntryDraft draft, WriteCondition condition) {
		byte[][] keysAndArgs = new byte[3 + 4 + 9][];
		keysAndArgs[0] = this.revisionKey;
		byte[] keyBytes = utf8(key);
		keysAndArgs[1] = concat(this.valuePrefixBytes, keyBytes);
		keysAndArgs[2] = concat(this.metaPrefixBytes, keyBytes);
		header(keysAndArgs, 3, condition);
		entryArgs(keysAndArgs, 7, key, draft);
		try (RedisConnection connection = connection()) {
			List<Object> reply = eval(connection, WRITE, 3, keysAndArgs);
			if (reply == null || reply.isEmpty() || reply.get(0) == null) {
				return null;
			}
			return written(key, draft, reply, 0);
		}
		catch (RuntimeException ex) {
			throw failure("Cannot store key '" + key + "' in", ex);
		}
	}

	@Override
	public Map<String, KeyMetadata> writeAll(Map<String, EntryDraft> drafts) {
		Map<String, KeyMetadata> written = new LinkedHashMap<>();
		if (drafts.isEmpty()) {
			return written;
		}
		List<Map.Entry<String, EntryDraft>> all = new ArrayList<>(drafts.entrySet());
		try (RedisConnection connection = connection()) {
			int from = 0;
			while (from < all.size()) {
				// a batch ends at BATCH keys or BATCH_BYTES of values, whichever comes
				// first
				int to = from;
				long bytes = 0;
				while (to < all.size() && to - from < BATCH && (to == from || bytes < BATCH_BYTES)) {
					bytes += all.get(to).getValue().value().length;
					to++;
				}
				List<Map.Entry<String, EntryDraft>> batch = all.subList(from, to);
				int numKeys = 1 + 2 * batch.size();
				byte[][] keysAndArgs = new byte[numKeys + 4 + 9 * batch.size()][];
				keysAndArgs[0] = this.revisionKey;
				header(keysAndArgs, numKeys, WriteCondition.ALWAYS);
				for (int i = 0; i < batch.size(); i++) {
					String key = batch.get(i).getKey();
					byte[] keyBytes = utf8(key);
					keysAndArgs[1 + 2 * i] = concat(this.valuePrefixBytes, keyBytes);
					keysAndArgs[2 + 2 * i] = concat(this.metaPrefixBytes, keyBytes);
					entryArgs(keysAndArgs, numKeys + 4 + 9 * i, key, batch.get(i).getValue());
				}
				List<Object> reply = eval(connection, WRITE, numKeys, keysAndArgs);
				if (reply == null || reply.size() != 3 * batch.size()) {
					throw new IllegalStateException("Unexpected reply of the write script: " + reply);
				}
				for (int i = 0; i < batch.size(); i++) {
					String key = batch.get(i).getKey();
					written.put(key, written(key, batch.get(i).getValue(), reply, 3 * i));
				}
				from = to;
			}
			return written;
		}
		catch (RuntimeException ex) {
			throw failure("Cannot store " + all.size() + " keys (first '" + all.get(0).getKey() + "') in", ex);
		}
	}

	@Override
	public boolean delete(String key, WriteCondition condition) {
		byte[] keyBytes = utf8(key);
		byte[][] keysAndArgs = new byte[3 + 5][];
		keysAndArgs[0] = concat(this.valuePrefixBytes, keyBytes);
		keysAndArgs[1] = concat(this.metaPrefixBytes, keyBytes);
		keysAndArgs[2] = this.revisionKey;
		header(keysAndArgs, 3, condition);
		keysAndArgs[7] = utf8(this.restPrefix + key);
		try (RedisConnection connection = connection()) {
			Long deleted = eval(connection, DELETE, 3, keysAndArgs);
			return deleted != null && deleted == 1;
		}
		catch (RuntimeException ex) {
			throw failure("Cannot delete key '" + key + "' from", ex);
		}
	}

	@Override
	public List<String> keys(String prefix) {
		try (RedisConnection connection = connection()) {
			List<String> keys = new ArrayList<>();
			for (Inspected inspected : scan(connection, prefix)) {
				if (inspected.live) {
					keys.add(inspected.key);
				}
			}
			return keys;
		}
		catch (RuntimeException ex) {
			throw failure("Cannot list the keys with prefix '" + prefix + "' of", ex);
		}
	}

	@Override
	public AutoCloseable subscribe(Listener listener) {
		AutoCloseable subscription = this.factory.subscribe(this.bucket, this.namespace, listener);
		this.subscriptions.add(subscription);
		return () -> {
			this.subscriptions.remove(subscription);
			subscription.close();
		};
	}

	@Override
	public void publishCacheClear() {
		try (RedisConnection connection = connection()) {
			connection.publish(this.channel, utf8("CLEAR " + this.namespace));
		}
		catch (RuntimeException ex) {
			throw failure("Cannot publish a cache clear of namespace '" + this.namespace + "' on", ex);
		}
	}

	@Override
	public KeyStoreStats stats() {
		try (RedisConnection connection = connection()) {
			long total = 0;
			long withTtl = 0;
			for (Inspected inspected : scan(connection, "")) {
				if (inspected.live) {
					total++;
					if (inspected.expires) {
						withTtl++;
					}
				}
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("backend", name());
			details.put("bucket", this.bucket);
			details.put("namespace", this.namespace);
			Properties info = info(connection, null);
			putInfo(details, info, "redis_version", "redisVersion");
			putInfo(details, info, "used_memory", "usedMemory");
			putInfo(details, info, "used_memory_human", "usedMemoryHuman");
			return new KeyStoreStats(total, withTtl, name(), details);
		}
		catch (RuntimeException ex) {
			throw failure("Cannot count the keys of", ex);
		}
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("backend", name());
		details.put("bucket", this.bucket);
		details.put("namespace", this.namespace);
		try (RedisConnection connection = connection()) {
			Properties info = info(connection, "server");
			putInfo(details, info, "redis_version", "redisVersion");
			details.put("connected", true);
		}
		catch (RuntimeException ex) {
			details.put("connected", false);
			details.put("error", RedisKeyValueBackendFactory.message(ex));
		}
		return details;
	}

	@Override
	public Duration ping() {
		long start = System.nanoTime();
		try (RedisConnection connection = connection()) {
			connection.ping();
		}
		catch (RuntimeException ex) {
			throw failure("Cannot reach", ex);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Stops this backend's subscriptions; never deletes data.
	 */
	@Override
	public void close() {
		for (AutoCloseable subscription : this.subscriptions) {
			try {
				subscription.close();
			}
			catch (Exception ex) {
				// closing a subscription only updates local state; nothing to report
			}
		}
		this.subscriptions.clear();
	}

	@Override
	public String toString() {
		return "RedisKeyValueBackend{bucket=" + this.bucket + ", namespace=" + this.namespace + "}";
	}

	// helpers

	private RedisConnection connection() {
		return this.connectionFactory.getConnection();
	}

	/**
	 * The master of a cluster that serves the bucket's slot; it holds every key of the
	 * bucket.
	 */
	private RedisClusterNode slotOwner(RedisClusterConnection connection) {
		RedisClusterNode node = connection.clusterGetNodeForSlot(SlotHash.getSlot(this.revisionKey));
		if (node == null) {
			throw new IllegalStateException("No Redis Cluster node serves slot " + SlotHash.getSlot(this.revisionKey)
					+ " of bucket '" + this.bucket + "'");
		}
		return node;
	}

	/**
	 * {@code INFO} of the server holding the bucket: a cluster connection would merge the
	 * replies of every node under node-prefixed names.
	 */
	private @Nullable Properties info(RedisConnection connection, @Nullable String section) {
		if (connection instanceof RedisClusterConnection cluster) {
			RedisClusterNode node = slotOwner(cluster);
			return (section != null) ? cluster.serverCommands().info(node, section)
					: cluster.serverCommands().info(node);
		}
		return (section != null) ? connection.serverCommands().info(section) : connection.serverCommands().info();
	}

	/**
	 * Runs a script by its SHA-1, and by its text when the server does not know it yet
	 * (after a restart or {@code SCRIPT FLUSH}), which also caches it; the reply's type
	 * follows the script's result type. That is what Spring Data's
	 * {@code DefaultScriptExecutor} does, yet through a {@code RedisTemplate}, which
	 * takes a connection per call and would join one bound to the thread (a caller's
	 * {@code SessionCallback} or transaction, queueing the script in its {@code MULTI}):
	 * the backend runs its scripts on its own connection. On a cluster the connection
	 * routes the call by its first key; every key of a call is in the bucket's slot.
	 */
	@SuppressWarnings("unchecked")
	private static <T> @Nullable T eval(RedisConnection connection, LoadedScript script, int numKeys,
			byte[]... keysAndArgs) {
		try {
			return (T) connection.scriptingCommands().evalSha(script.sha1(), script.returnType(), numKeys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return (T) connection.scriptingCommands().eval(script.text(), script.returnType(), numKeys, keysAndArgs);
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Fills the arguments that follow the keys: now, channel, condition kind and expected
	 * number.
	 */
	private void header(byte[][] keysAndArgs, int at, WriteCondition condition) {
		keysAndArgs[at] = ascii(Long.toString(System.currentTimeMillis()));
		keysAndArgs[at + 1] = this.channel;
		keysAndArgs[at + 2] = ascii(condition.kind().name());
		keysAndArgs[at + 3] = ascii(Long.toString(condition.expected()));
	}

	private void entryArgs(byte[][] keysAndArgs, int at, String key, EntryDraft draft) {
		keysAndArgs[at] = utf8(this.restPrefix + key);
		keysAndArgs[at + 1] = draft.value();
		keysAndArgs[at + 2] = ascii(draft.format().wireName());
		keysAndArgs[at + 3] = (draft.type() != null) ? utf8(draft.type()) : EMPTY;
		keysAndArgs[at + 4] = draft.tags().isEmpty() ? EMPTY : utf8(String.join(",", draft.tags()));
		keysAndArgs[at + 5] = ascii(draft.checksum());
		keysAndArgs[at + 6] = ascii(draft.writtenAt().toString());
		Instant expiresAt = draft.expiresAt();
		keysAndArgs[at + 7] = (expiresAt != null) ? ascii(expiresAt.toString()) : EMPTY;
		// rounded up, so that Redis never removes a key before its expiry
		keysAndArgs[at + 8] = (expiresAt != null)
				? ascii(Long.toString(expiresAt.toEpochMilli() + ((expiresAt.getNano() % 1_000_000 != 0) ? 1 : 0)))
				: EMPTY;
	}

	private static KeyMetadata written(String key, EntryDraft draft, List<Object> reply, int at) {
		long version = (Long) reply.get(at);
		long revision = (Long) reply.get(at + 1);
		Instant createdAt = KeyTimestamps.parse(new String((byte[]) reply.get(at + 2), StandardCharsets.US_ASCII));
		return new KeyMetadata(key, version, revision, draft.value().length, draft.tags(), draft.format(), draft.type(),
				draft.checksum(), createdAt, draft.writtenAt(), draft.expiresAt());
	}

	/**
	 * The live entry of a key from a reply of {@link #READ}, or null when absent or
	 * expired.
	 */
	private static @Nullable StoredEntry entry(String key, @Nullable List<Object> reply, int at, Instant now) {
		if (reply == null || reply.size() < at + FIELDS + 1) {
			return null;
		}
		byte[] value = (byte[]) reply.get(at);
		if (value == null) {
			return null;
		}
		Object version = reply.get(at + 1);
		Object format = reply.get(at + 3);
		if (version == null && format == null) {
			// written by another Redis client: no metadata
			return new StoredEntry(
					new KeyMetadata(key, 1, 0, value.length, List.of(), KeyFormat.BINARY, null, null, now, now, null),
					value);
		}
		String expires = text(reply.get(at + 9));
		Instant expiresAt = (expires != null) ? KeyTimestamps.parse(expires) : null;
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			return null;
		}
		String tags = text(reply.get(at + 5));
		String created = text(reply.get(at + 7));
		String updated = text(reply.get(at + 8));
		Instant updatedAt = (updated != null) ? KeyTimestamps.parse(updated) : now;
		KeyMetadata metadata = new KeyMetadata(key, number(version, 1), number(reply.get(at + 2), 0), value.length,
				(tags != null && !tags.isEmpty()) ? Arrays.asList(tags.split(",")) : List.of(), format(format),
				text(reply.get(at + 4)), text(reply.get(at + 6)),
				(created != null) ? KeyTimestamps.parse(created) : updatedAt, updatedAt, expiresAt);
		return new StoredEntry(metadata, value);
	}

	/**
	 * Scans the value keys of this namespace that start with a prefix, and inspects their
	 * expiry.
	 */
	private List<Inspected> scan(RedisConnection connection, String prefix) {
		Set<String> found = new LinkedHashSet<>();
		ScanOptions options = ScanOptions.scanOptions()
			.match(utf8(globEscape(this.valuePrefix + prefix) + "*"))
			.count(BATCH)
			.build();
		// one bucket lives in one slot: on a cluster, its master alone holds every key
		try (Cursor<byte[]> cursor = (connection instanceof RedisClusterConnection cluster)
				? cluster.scan(slotOwner(cluster), options) : connection.keyCommands().scan(options)) {
			while (cursor.hasNext()) {
				String redisKey = new String(cursor.next(), StandardCharsets.UTF_8);
				// a scan may return a key more than once: the set keeps one
				if (redisKey.length() > this.valuePrefix.length() && redisKey.startsWith(this.valuePrefix)) {
					found.add(redisKey.substring(this.valuePrefix.length()));
				}
			}
		}
		List<String> keys = new ArrayList<>(found);
		List<Inspected> inspected = new ArrayList<>(keys.size());
		for (int from = 0; from < keys.size(); from += BATCH) {
			List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
			byte[][] keysAndArgs = new byte[batch.size() * 2][];
			for (int i = 0; i < batch.size(); i++) {
				byte[] keyBytes = utf8(batch.get(i));
				keysAndArgs[2 * i] = concat(this.valuePrefixBytes, keyBytes);
				keysAndArgs[2 * i + 1] = concat(this.metaPrefixBytes, keyBytes);
			}
			List<Object> reply = eval(connection, INSPECT, keysAndArgs.length, keysAndArgs);
			Instant now = Instant.now();
			for (int i = 0; i < batch.size(); i++) {
				String expires = text(reply.get(2 * i));
				long ttl = (Long) reply.get(2 * i + 1);
				boolean live = ttl != -2 && (expires == null || KeyTimestamps.parse(expires).isAfter(now));
				inspected.add(new Inspected(batch.get(i), live, expires != null || ttl > 0));
			}
		}
		return inspected;
	}

	private static void putInfo(Map<String, Object> details, @Nullable Properties info, String property, String name) {
		String value = (info != null) ? info.getProperty(property) : null;
		if (value != null) {
			details.put(name, value.trim());
		}
	}

	private KeyStoreException failure(String what, RuntimeException ex) {
		if (ex instanceof KeyStoreException keyStoreException) {
			return keyStoreException;
		}
		return new KeyStoreException(
				what + " Redis bucket '" + this.bucket + "': " + RedisKeyValueBackendFactory.message(ex), ex);
	}

	/**
	 * Escapes the characters of a Redis glob pattern, so that a prefix matches itself
	 * only.
	 */
	static String globEscape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

	/**
	 * The decimal number of a reply item, read without making a string.
	 */
	private static long number(@Nullable Object item, long absent) {
		if (!(item instanceof byte[] bytes)) {
			return absent;
		}
		long value = 0;
		// up to 18 digits cannot overflow; anything else is left to Long.parseLong
		boolean digits = bytes.length > 0 && bytes.length <= 18;
		for (int i = 0; i < bytes.length && digits; i++) {
			digits = bytes[i] >= '0' && bytes[i] <= '9';
			value = value * 10 + (bytes[i] - '0');
		}
		return digits ? value : Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
	}

	private static KeyFormat format(@Nullable Object item) {
		KeyFormat format = KeyFormat.fromName(text(item));
		return (format != null) ? format : KeyFormat.BINARY;
	}

	private static @Nullable String text(@Nullable Object item) {
		return (item instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : null;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[] prefix, byte[] key) {
		byte[] joined = Arrays.copyOf(prefix, prefix.length + key.length);
		System.arraycopy(key, 0, joined, prefix.length, key.length);
		return joined;
	}

	/**
	 * A key found by a scan.
	 */
	private record Inspected(String key, boolean live, boolean expires) {

	}

	/**
	 * A script of the {@code io/natsboot/keystore/redis/<name>.lua} files on the class
	 * path, their texts joined in order (kept as Lua files, so they read and diff as
	 * Lua). It is made from the text read once, not with
	 * {@code RedisScript.of(Resource)}: that one reads the file's modification time again
	 * at every {@link RedisScript#getSha1()}, so at every call.
	 */
	@SuppressWarnings("rawtypes")
	private static LoadedScript script(Class<?> resultType, String... names) {
		StringBuilder text = new StringBuilder();
		for (String name : names) {
			ClassPathResource resource = new ClassPathResource("io/natsboot/keystore/redis/" + name + ".lua");
			try {
				text.append(resource.getContentAsString(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the key store's Redis script " + resource.getPath(), ex);
			}
		}
		RedisScript<?> script = RedisScript.of(text.toString(), (Class) resultType);
		return new LoadedScript(script.getSha1(), utf8(script.getScriptAsString()),
				ReturnType.fromJavaType(script.getResultType()));
	}

	/**
	 * A script as the calls need it, taken once from its {@link RedisScript}: Spring Data
	 * computes the SHA-1 and the reply type, and this keeps them, since
	 * {@code RedisScript.getSha1()} takes a lock at every call.
	 *
	 * @param sha1 the script's SHA-1, for {@code EVALSHA}
	 * @param text the script, for {@code EVAL} when the server does not know it yet
	 * @param returnType the reply type, from the script's result type
	 */
	private record LoadedScript(String sha1, byte[] text, ReturnType returnType) {

	}

}
