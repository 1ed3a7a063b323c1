package io.natsboot.keystore.nats;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsKeyValueUtil;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsNotConnectedException;
import io.natsboot.core.NatsPayloadLimit;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsPings;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.jetstream.JetStreamErrors;
import io.natsboot.keystore.EntryDraft;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreException;
import io.natsboot.keystore.KeyStoreStats;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.StoredEntry;
import io.natsboot.keystore.WriteCondition;
import org.jspecify.annotations.Nullable;

/**
 * A key store backend on a NATS JetStream KV bucket: the value is the plain message
 * payload, the metadata its {@link NatsEntryHeaders headers}, keys are
 * {@link NatsKeyCodec encoded} and prefixed with {@code <namespace>.} when a namespace is
 * set. Every write is one JetStream publish with an expected last subject sequence, so
 * the condition and the version (kept in the headers) are checked by the server; the
 * sequence of the state it replaces comes from what this instance last saw of the key, or
 * from a read when it knows nothing, and a conflict reads again.
 * <p>
 * Expiry: {@code KS-Expires-At} is checked on every read. Servers from 2.11 also expire
 * the message (per-message TTL); on older ones a sweep purges expired keys with a
 * sequence check, so several instances sweeping at once and a concurrent re-store are
 * safe.
 */
public class NatsKeyValueBackend implements KeyValueBackend {

	private static final int MAX_ROUNDS = 100;

	/** Longest wait for a turn to ping (see {@link NatsPings}). */
	private static final Duration PING_WAIT = Duration.ofSeconds(2);

	private final NatsKeyValueBackendFactory factory;

	private final Connection connection;

	private final JetStreamOptions jetStreamOptions;

	private final String bucket;

	private final String namespace;

	private final NatsBucketSettings settings;

	private final FailoverRetry retry;

	private final String streamName;

	private final String keyPrefix;

	private final String readPrefix;

	private final String writePrefix;

	private final String directGetPrefix;

	private final NatsBucketWatch watch;

	private final NatsExceptionTranslator translator;

	/**
	 * What this instance last saw of each key it wrote or read, so writes need no read
	 * first.
	 */
	private final Cache<String, SubjectState> states = Caffeine.newBuilder().maximumSize(10_000).build();

	private volatile NatsKeyValueBackendFactory.@Nullable BucketState bucketState;

	private volatile @Nullable JetStream jetStream;

	private volatile @Nullable JetStreamManagement management;

	NatsKeyValueBackend(NatsKeyValueBackendFactory factory, Connection connection, JetStreamOptions jetStreamOptions,
			String bucket, String namespace, NatsBucketSettings settings, NatsExceptionTranslator translator) {
		this.factory = factory;
		this.translator = translator;
		this.connection = connection;
		this.jetStreamOptions = jetStreamOptions;
		this.bucket = bucket;
		this.namespace = namespace;
		this.settings = settings;
		this.retry = new FailoverRetry(settings.failoverTimeout()).refusedBy(this::refusal);
		this.streamName = NatsKeyValueUtil.toStreamName(bucket);
		// the namespace is one token, so that namespace a with key b.c and namespace a.b
		// with key c differ
		this.keyPrefix = namespace.isEmpty() ? "" : namespace.replace(".", "=2E") + ".";
		this.readPrefix = NatsKeyValueUtil.toKeyPrefix(bucket) + this.keyPrefix;
		String apiPrefix = jetStreamOptions.isDefaultPrefix() ? "" : jetStreamOptions.getPrefix();
		this.writePrefix = apiPrefix + this.readPrefix;
		this.directGetPrefix = jetStreamOptions.getPrefix() + "DIRECT.GET." + this.streamName + ".";
		this.watch = new NatsBucketWatch(this, connection);
	}

	@Override
	public String name() {
		return "nats";
	}

	String bucket() {
		return this.bucket;
	}

	String namespace() {
		return this.namespace;
	}

	String streamName() {
		return this.streamName;
	}

	/**
	 * The subject filter of this namespace's keys.
	 */
	String filterSubject() {
		return this.readPrefix + ">";
	}

	/**
	 * The user's key of a message subject, or null when the subject is outside this
	 * namespace.
	 */
	@Nullable String keyOf(String subject) {
		return subject.startsWith(this.readPrefix) ? NatsKeyCodec.decode(subject.substring(this.readPrefix.length()))
				: null;
	}

	// lifecycle

	void connectionReady() {
		this.bucketState = null;
		this.watch.stop();
		// one try: the connection's setup must not wait out an election of one bucket
		// (every listener and worker waits for it); a failure is retried by the setup and
		// by the next call
		ensureReady(FailoverRetry.NONE);
	}

	void connectionLost() {
		this.bucketState = null;
		this.states.invalidateAll();
		this.watch.interrupted();
	}

	private NatsKeyValueBackendFactory.BucketState ensureReady() {
		return ensureReady(this.retry);
	}

	private NatsKeyValueBackendFactory.BucketState ensureReady(FailoverRetry setupRetry) {
		NatsKeyValueBackendFactory.BucketState state = this.bucketState;
		if (state != null) {
			return state;
		}
		synchronized (this) {
			if (this.bucketState == null) {
				// a connection moving to another server of the cluster is back within a
				// second
				if (!this.retry.awaitFailover(this.connection)) {
					throw new NatsNotConnectedException(
							"Key store bucket '" + this.bucket + "' is not reachable: not connected to NATS ("
									+ this.connection.getStatus() + "); " + NatsNotConnectedException.HOW_TO_WAIT);
				}
				try {
					this.jetStream = this.connection.jetStream(this.jetStreamOptions);
					this.management = this.connection.jetStreamManagement(this.jetStreamOptions);
				}
				catch (IOException ex) {
					throw new KeyStoreException("Cannot use JetStream for key store bucket '" + this.bucket + "'", ex);
				}
				// ready only once the watch runs: a failed start is tried again by the
				// next call; both are repeated through an election of the bucket (after a
				// fail-over, say)
				try {
					this.bucketState = setupRetry.call("set up key store bucket '" + this.bucket + "'", () -> {
						NatsKeyValueBackendFactory.BucketState provisioned = this.factory.provision(this.bucket);
						this.watch.startIfIdle();
						return provisioned;
					});
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new KeyStoreException("Interrupted while setting up key store bucket '" + this.bucket + "'",
							ex);
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new KeyStoreException(
							"Cannot set up key store bucket '" + this.bucket + "': " + ex.getMessage(), ex);
				}
			}
			return this.bucketState;
		}
	}

	JetStream jetStream() {
		ensureReady();
		return this.jetStream;
	}

	/**
	 * The JetStream context without checking readiness, for the watch that readiness
	 * waits for.
	 */
	JetStream rawJetStream() {
		JetStream jetStream = this.jetStream;
		if (jetStream == null) {
			throw new NatsNotConnectedException("Key store bucket '" + this.bucket + "' is not set up yet");
		}
		return jetStream;
	}

	// reads

	@Override
	public @Nullable StoredEntry get(String key) {
		return read(key).live(Instant.now());
	}

	@Override
	public Map<String, StoredEntry> getAll(Collection<String> keys) {
		Map<String, StoredEntry> entries = new LinkedHashMap<>();
		Instant now = Instant.now();
		readAll(keys).forEach((key, state) -> {
			StoredEntry entry = state.live(now);
			if (entry != null) {
				entries.put(key, entry);
			}
		});
		return entries;
	}

	/**
	 * Reads several keys; with direct get all requests are in flight together, one round
	 * trip for the lot instead of one per key.
	 */
	private Map<String, SubjectState> readAll(Collection<String> keys) {
		NatsKeyValueBackendFactory.BucketState state = ensureReady();
		Map<String, SubjectState> states = new LinkedHashMap<>();
		if (!state.allowDirect()) {
			keys.forEach((key) -> states.put(key, read(key)));
			return states;
		}
		Map<String, CompletableFuture<Message>> pending = new LinkedHashMap<>();
		for (String key : keys) {
			pending.computeIfAbsent(key, this::directGet);
		}
		pending.forEach((key, reply) -> {
			SubjectState read = parse(key, awaitReply(key, reply));
			this.states.put(key, read);
			states.put(key, read);
		});
		return states;
	}

	SubjectState read(String key) {
		NatsKeyValueBackendFactory.BucketState state = ensureReady();
		SubjectState read;
		if (state.allowDirect()) {
			read = parse(key, awaitReply(key, directGet(key)));
		}
		else {
			try {
				read = parse(key,
						this.management.getLastMessage(this.streamName, this.readPrefix + NatsKeyCodec.encode(key)));
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.NO_MESSAGE_FOUND) {
					throw failure("read", key, ex);
				}
				read = SubjectState.NEVER_WRITTEN;
			}
			catch (IOException ex) {
				throw failure("read", key, ex);
			}
		}
		this.states.put(key, read);
		return read;
	}

	private CompletableFuture<Message> directGet(String key) {
		return this.connection.requestWithTimeout(this.directGetPrefix + this.readPrefix + NatsKeyCodec.encode(key),
				null, this.settings.timeout());
	}

	private @Nullable MessageInfo awaitReply(String key, CompletableFuture<Message> reply) {
		try {
			Message message = reply.get(this.settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			if (message.isStatusMessage()) {
				if (message.getStatus().getCode() == 404) {
					return null;
				}
				throw new KeyStoreException("Cannot read key '" + key + "' from bucket '" + this.bucket + "': "
						+ message.getStatus().getMessageWithCode());
			}
			return new MessageInfo(message, this.streamName, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure("read", key, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw failure("read", key, (ex.getCause() != null) ? ex.getCause() : ex);
		}
	}

	private SubjectState parse(String key, @Nullable MessageInfo info) {
		if (info == null) {
			return SubjectState.NEVER_WRITTEN;
		}
		Headers headers = info.getHeaders();
		if (NatsKeyValueUtil.getOperation(headers) != KeyValueOperation.PUT) {
			return new SubjectState(info.getSeq(), null);
		}
		byte[] value = (info.getData() != null) ? info.getData() : new byte[0];
		KeyMetadata metadata = NatsEntryHeaders.read(key, headers, info.getSeq(), info.getTime().toInstant(),
				value.length);
		return new SubjectState(info.getSeq(), new StoredEntry(metadata, value));
	}

	// writes

	@Override
	public @Nullable KeyMetadata write(String key, EntryDraft draft, WriteCondition condition) {
		NatsKeyValueBackendFactory.BucketState bucketState = ensureReady();
		SubjectState state = this.states.getIfPresent(key);
		boolean fromServer = false;
		for (int round = 0; round < MAX_ROUNDS; round++) {
			if (state == null) {
				state = read(key);
				fromServer = true;
			}
			StoredEntry live = state.live(Instant.now());
			KeyMetadata current = (live != null) ? live.metadata() : null;
			if (!condition.isMetBy(current)) {
				if (!fromServer) {
					// what this instance saw may be stale: only the server can say no
					state = null;
					continue;
				}
				return null;
			}
			KeyMetadata metadata = draft.toMetadata(key, current, 0);
			Headers headers = headers(key, metadata);
			checkSize(key, headers, draft.value());
			boolean[] repeated = { false };
			long expected = state.revision();
			try {
				int[] tries = { 0 };
				// repeated through an election with the same expected revision: a repeat
				// of a write that did land fails that check, and is then recognised below
				PublishAck ack = this.retry.call("store key '" + key + "'", () -> {
					repeated[0] = tries[0]++ > 0;
					return this.jetStream.publish(this.writePrefix + NatsKeyCodec.encode(key), headers, draft.value(),
							publishOptions(expected, metadata, bucketState));
				});
				KeyMetadata stored = metadata.withRevision(ack.getSeqno());
				this.states.put(key, new SubjectState(ack.getSeqno(), new StoredEntry(stored, draft.value())));
				this.watch.track(key, stored);
				return stored;
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.WRONG_LAST_SEQUENCE) {
					throw failure("store", key, ex);
				}
				state = null;
				if (repeated[0]) {
					KeyMetadata landed = landed(key, expected, metadata);
					if (landed != null) {
						return landed;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failure("store", key, ex);
			}
			catch (Exception ex) {
				throw failure("store", key, ex);
			}
		}
		throw new KeyStoreException("Key '" + key + "' in bucket '" + this.bucket + "' changed " + MAX_ROUNDS
				+ " times while writing it; gave up");
	}

	@Override
	public Map<String, KeyMetadata> writeAll(Map<String, EntryDraft> drafts) {
		NatsKeyValueBackendFactory.BucketState bucketState = ensureReady();
		// read what is unknown in one go, publish the lot without waiting for each ack;
		// keys whose state turned out stale go again one by one
		List<String> unknown = drafts.keySet().stream().filter((key) -> this.states.getIfPresent(key) == null).toList();
		if (!unknown.isEmpty()) {
			readAll(unknown);
		}
		Map<String, CompletableFuture<PublishAck>> acks = new LinkedHashMap<>();
		Map<String, KeyMetadata> metadata = new LinkedHashMap<>();
		Map<String, Headers> headers = new LinkedHashMap<>();
		Map<String, Long> expected = new LinkedHashMap<>();
		Map<String, KeyMetadata> written = new LinkedHashMap<>();
		Instant now = Instant.now();
		// everything is prepared before the first publish, so bad metadata writes nothing
		for (Map.Entry<String, EntryDraft> draft : drafts.entrySet()) {
			String key = draft.getKey();
			SubjectState state = this.states.getIfPresent(key);
			if (state == null) {
				continue;
			}
			StoredEntry live = state.live(now);
			KeyMetadata prepared = draft.getValue().toMetadata(key, (live != null) ? live.metadata() : null, 0);
			metadata.put(key, prepared);
			headers.put(key, headers(key, prepared));
			checkSize(key, headers.get(key), draft.getValue().value());
			expected.put(key, state.revision());
		}
		for (Map.Entry<String, KeyMetadata> prepared : metadata.entrySet()) {
			String key = prepared.getKey();
			acks.put(key, this.jetStream.publishAsync(this.writePrefix + NatsKeyCodec.encode(key), headers.get(key),
					drafts.get(key).value(), publishOptions(expected.get(key), prepared.getValue(), bucketState)));
		}
		for (Map.Entry<String, EntryDraft> draft : drafts.entrySet()) {
			String key = draft.getKey();
			CompletableFuture<PublishAck> ack = acks.get(key);
			if (ack == null) {
				continue;
			}
			try {
				long revision = ack.get(this.settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS).getSeqno();
				KeyMetadata stored = metadata.get(key).withRevision(revision);
				this.states.put(key, new SubjectState(revision, new StoredEntry(stored, draft.getValue().value())));
				this.watch.track(key, stored);
				written.put(key, stored);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failure("store", key, ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				// a conflict or a lost ack: the one-by-one write below reads the key and
				// decides; a lost ack may hide a write that landed, which must not be
				// written a second time
				this.states.invalidate(key);
				KeyMetadata landed = isConflict(ex) ? null : landedOrNull(key, expected.get(key), metadata.get(key));
				if (landed != null) {
					written.put(key, landed);
				}
			}
		}
		Map<String, KeyMetadata> result = new LinkedHashMap<>();
		for (Map.Entry<String, EntryDraft> draft : drafts.entrySet()) {
			KeyMetadata stored = written.get(draft.getKey());
			result.put(draft.getKey(),
					(stored != null) ? stored : write(draft.getKey(), draft.getValue(), WriteCondition.ALWAYS));
		}
		return result;
	}

	/**
	 * The server closes a connection that sends more than its max payload (headers
	 * included), and jnats' own check names neither key nor bucket: check first.
	 */
	private void checkSize(String key, Headers headers, byte @Nullable [] value) {
		NatsPayloadLimit.checkJetStream(this.connection, () -> "key '" + key + "' in bucket '" + this.bucket + "'",
				headers, value);
	}

	private static Headers headers(String key, KeyMetadata metadata) {
		try {
			return NatsEntryHeaders.write(metadata);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Key '" + key
					+ "': its metadata cannot travel in NATS headers (printable " + "ASCII only): " + ex.getMessage(),
					ex);
		}
	}

	private static boolean isConflict(Exception failure) {
		return failure.getCause() instanceof JetStreamApiException api
				&& api.getApiErrorCode() == JetStreamErrors.WRONG_LAST_SEQUENCE;
	}

	private @Nullable KeyMetadata landedOrNull(String key, long expected, KeyMetadata written) {
		try {
			return landed(key, expected, written);
		}
		catch (RuntimeException ex) {
			return null; // unknown: the one-by-one write reads the key again
		}
	}

	/**
	 * The entry as stored when it is the one a repeated write published (same version,
	 * checksum and update time): its first try landed before the election cut off the
	 * acknowledgement.
	 */
	private @Nullable KeyMetadata landed(String key, long expected, KeyMetadata written) {
		// the write that followed the expected revision is the one that won: ours, or
		// another instance's (then ours did not land); the latest entry is the fallback
		// where reading by sequence is not allowed (a least-privilege user may only read
		// its keys directly)
		SubjectState next;
		try {
			next = parse(key, this.retry.call("read key '" + key + "' after revision " + expected, () -> this.management
				.getNextMessage(this.streamName, expected + 1, this.readPrefix + NatsKeyCodec.encode(key))));
		}
		catch (Exception ex) {
			next = read(key);
		}
		StoredEntry entry = next.entry();
		if (entry == null) {
			return null;
		}
		KeyMetadata stored = entry.metadata();
		if (stored.version() == written.version() && Objects.equals(stored.checksum(), written.checksum())
				&& Objects.equals(stored.updatedAt(), written.updatedAt())) {
			// a later write may follow: the next write reads the key again
			this.states.invalidate(key);
			this.watch.track(key, stored);
			return stored;
		}
		return null;
	}

	/**
	 * Publish options of a write: the expected last subject sequence and, on servers that
	 * expire messages themselves, a TTL a second beyond the key's expiry (reads enforce
	 * the exact time).
	 */
	private static PublishOptions publishOptions(long expectedRevision, KeyMetadata metadata,
			NatsKeyValueBackendFactory.BucketState bucketState) {
		PublishOptions.Builder options = PublishOptions.builder().expectedLastSubjectSequence(expectedRevision);
		if (bucketState.messageTtl() && metadata.expiresAt() != null) {
			long seconds = (Duration.between(Instant.now(), metadata.expiresAt()).toMillis() + 999) / 1000 + 1;
			options.messageTtlSeconds((int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds)));
		}
		return options.build();
	}

	@Override
	public boolean delete(String key, WriteCondition condition) {
		ensureReady();
		for (int round = 0; round < MAX_ROUNDS; round++) {
			SubjectState state = read(key);
			StoredEntry live = state.live(Instant.now());
			if (live == null || !condition.isMetBy(live.metadata())) {
				return false;
			}
			try {
				Headers headers = NatsKeyValueUtil.getDeleteHeaders();
				PublishAck ack = this.jetStream.publish(this.writePrefix + NatsKeyCodec.encode(key), headers, null,
						PublishOptions.builder().expectedLastSubjectSequence(state.revision()).build());
				this.states.put(key, new SubjectState(ack.getSeqno(), null));
				this.watch.untrack(key, ack.getSeqno());
				return true;
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.WRONG_LAST_SEQUENCE) {
					throw failure("delete", key, ex);
				}
			}
			catch (IOException ex) {
				throw failure("delete", key, ex);
			}
		}
		throw new KeyStoreException("Key '" + key + "' in bucket '" + this.bucket + "' changed " + MAX_ROUNDS
				+ " times while deleting it; gave up");
	}

	/**
	 * Purges a key that expired, only if it is still the revision that expired.
	 * @return true when purged
	 */
	boolean purgeExpired(String key, long revision) {
		Headers headers = NatsKeyValueUtil.getPurgeHeaders();
		headers.put(NatsEntryHeaders.REASON, NatsEntryHeaders.REASON_EXPIRED);
		try {
			PublishAck ack = jetStream().publish(this.writePrefix + NatsKeyCodec.encode(key), headers, null,
					PublishOptions.builder().expectedLastSubjectSequence(revision).build());
			this.states.put(key, new SubjectState(ack.getSeqno(), null));
			return true;
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.WRONG_LAST_SEQUENCE) {
				return false;
			}
			throw failure("purge expired", key, ex);
		}
		catch (IOException ex) {
			throw failure("purge expired", key, ex);
		}
	}

	void sweepExpired() {
		NatsKeyValueBackendFactory.BucketState state = this.bucketState;
		// servers that expire messages themselves need no sweep
		if (state != null && !state.messageTtl()) {
			this.watch.sweep(Instant.now());
		}
	}

	/**
	 * Updates what this instance knows of a key from the watch, when it knew an older
	 * state.
	 */
	void observed(String key, SubjectState state) {
		this.states.asMap().computeIfPresent(key, (k, old) -> (old.revision() < state.revision()) ? state : old);
	}

	// listing

	@Override
	public List<String> keys(String prefix) {
		List<String> keys = new ArrayList<>();
		visitLive(prefix, (key, expiresAt) -> keys.add(key));
		return keys;
	}

	/**
	 * Visits the live keys under a prefix with their expiry.
	 */
	private void visitLive(String prefix, BiConsumer<String, @Nullable Instant> visitor) {
		Instant now = Instant.now();
		visitLatest(prefix, (message) -> {
			String key = keyOf(message.getSubject());
			Headers headers = message.getHeaders();
			if (key != null && key.startsWith(prefix)
					&& NatsKeyValueUtil.getOperation(headers) == KeyValueOperation.PUT) {
				Instant expiresAt = NatsEntryHeaders.expiresAt(headers);
				if (expiresAt == null || expiresAt.isAfter(now)) {
					visitor.accept(key, expiresAt);
				}
			}
		});
	}

	/**
	 * Reads the headers of the latest message of every key under a prefix, narrowing the
	 * filter to the prefix's complete tokens.
	 */
	private void visitLatest(String prefix, Consumer<Message> visitor) {
		ensureReady();
		String encoded = NatsKeyCodec.encodePrefix(prefix);
		// a dot at the very end may be a key's trailing dot (written =2E): narrow to the
		// tokens before it
		int lastDot = encoded.lastIndexOf('.', encoded.length() - 2);
		String filter = (lastDot < 0) ? filterSubject() : this.readPrefix + encoded.substring(0, lastDot + 1) + ">";
		ConsumerConfiguration consumer = ConsumerConfiguration.builder()
			.ackPolicy(AckPolicy.None)
			.deliverPolicy(DeliverPolicy.LastPerSubject)
			.headersOnly(true)
			.filterSubject(filter)
			.build();
		PushSubscribeOptions options = PushSubscribeOptions.builder()
			.stream(this.streamName)
			.ordered(true)
			.configuration(consumer)
			.build();
		try {
			long[] pending = { 0 };
			// nothing is visited before the consumer answers: safe to repeat through an
			// election
			JetStreamSubscription subscription = this.retry.call("list the keys of bucket '" + this.bucket + "'",
					() -> {
						JetStreamSubscription started = this.jetStream.subscribe(null, options);
						try {
							pending[0] = started.getConsumerInfo().getCalculatedPending();
							return started;
						}
						catch (IOException | JetStreamApiException | RuntimeException ex) {
							started.unsubscribe();
							throw ex;
						}
					});
			try {
				while (pending[0]-- > 0) {
					Message message = subscription.nextMessage(this.settings.timeout());
					if (message == null) {
						throw failure("list", prefix + "*", new KeyStoreException(
								"Listing the keys of bucket '" + this.bucket + "' timed out",
								new java.util.concurrent.TimeoutException("no key within " + this.settings.timeout())));
					}
					visitor.accept(message);
				}
			}
			finally {
				subscription.unsubscribe();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure("list", prefix + "*", ex);
		}
		catch (Exception ex) {
			throw failure("list", prefix + "*", ex);
		}
	}

	// watch and status

	@Override
	public AutoCloseable subscribe(Listener listener) {
		return this.watch.addListener(listener);
	}

	@Override
	public void publishCacheClear() {
		this.watch.publishClear();
	}

	@Override
	public KeyStoreStats stats() {
		long[] counts = new long[2];
		visitLive("", (key, expiresAt) -> {
			counts[0]++;
			counts[1] += (expiresAt != null) ? 1 : 0;
		});
		return new KeyStoreStats(counts[0], counts[1], name(), describe());
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("backend", name());
		details.put("bucket", this.bucket);
		details.put("namespace", this.namespace);
		details.put("connected", this.connection.getStatus() == Connection.Status.CONNECTED);
		details.put("watching", this.watch.isRunning());
		try {
			ensureReady();
			KeyValueManagement management = this.connection
				.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(this.jetStreamOptions).build());
			KeyValueStatus status = management.getStatus(this.bucket);
			details.put("serverVersion", this.connection.getServerInfo().getVersion());
			details.put("entries", status.getEntryCount());
			details.put("bytes", status.getByteCount());
			details.put("history", status.getMaxHistoryPerKey());
			details.put("replicas", status.getReplicas());
			details.put("storage", status.getStorageType().toString());
			details.put("perMessageTtl", this.bucketState != null && this.bucketState.messageTtl());
		}
		catch (IOException | JetStreamApiException | RuntimeException ex) {
			details.put("error", ex.getMessage());
		}
		return details;
	}

	@Override
	public Duration ping() {
		try (NatsPings.Permit permit = NatsPings.acquire(this.connection, PING_WAIT)) {
			return this.connection.RTT();
		}
		catch (IOException | TimeoutException ex) {
			throw new KeyStoreException("Key store bucket '" + this.bucket + "' is not reachable: " + ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KeyStoreException("Interrupted while pinging key store bucket '" + this.bucket + "'", ex);
		}
	}

	@Override
	public void close() {
		this.watch.stop();
		this.factory.removed(this);
	}

	private RuntimeException failure(String action, String key, Throwable cause) {
		if (NatsExceptionTranslator.isNoAnswer(cause) && !(cause instanceof NatsPermissionException)) {
			// a call gives up after the timeout (retried writes several times): look back
			// that far and more
			long since = this.translator.markBefore(this.settings.timeout());
			NatsPermissionException denied = this.translator.explainNoReply(this.connection,
					NatsPermissionException.Operation.KEY_STORE,
					action + " key '" + key + "' in bucket '" + this.bucket + "'", since, this::concernsBucket, cause);
			if (denied != null) {
				return denied;
			}
		}
		// natsboot's own exceptions already name the key and the bucket
		if (cause instanceof NatsException natsException) {
			return natsException;
		}
		if (cause instanceof KeyStoreException keyStoreException) {
			return keyStoreException;
		}
		return new KeyStoreException(
				"Cannot " + action + " key '" + key + "' in bucket '" + this.bucket + "': " + cause.getMessage(),
				cause);
	}

	/**
	 * A refused permission that explains a call without an answer, or null: then it may
	 * be an election.
	 */
	private @Nullable RuntimeException refusal(Exception cause) {
		if (!NatsExceptionTranslator.isNoAnswer(cause)) {
			return null;
		}
		long since = this.translator.markBefore(this.settings.timeout());
		return this.translator.explainNoReply(this.connection, NatsPermissionException.Operation.KEY_STORE,
				"use bucket '" + this.bucket + "'", since, this::concernsBucket, cause);
	}

	/**
	 * What the watch reports when it cannot start: a refused permission when the server
	 * refused one during the start, else the failure as it is.
	 */
	RuntimeException watchFailure(long since, Exception cause) {
		if (NatsExceptionTranslator.isNoAnswer(cause)) {
			NatsPermissionException denied = this.translator.explainNoReply(this.connection,
					NatsPermissionException.Operation.KEY_STORE, "watch bucket '" + this.bucket + "'", since,
					this::concernsBucket, cause);
			if (denied != null) {
				return denied;
			}
		}
		return new KeyStoreException("Cannot watch key store bucket '" + this.bucket + "': " + cause.getMessage(),
				cause);
	}

	NatsExceptionTranslator translator() {
		return this.translator;
	}

	Duration timeout() {
		return this.settings.timeout();
	}

	/**
	 * Whether a subject is one this bucket's calls publish to: its keys' subjects, or
	 * JetStream API subjects naming its stream.
	 */
	private boolean concernsBucket(String subject) {
		return subject.contains(NatsKeyValueUtil.toKeyPrefix(this.bucket))
				|| NatsExceptionTranslator.hasToken(subject, this.streamName);
	}

	/**
	 * The latest message of a key's subject: its sequence (0 when never written) and the
	 * entry it holds (null for a delete or purge).
	 *
	 * @param revision the subject's last sequence
	 * @param entry the entry, or null
	 */
	record SubjectState(long revision, @Nullable StoredEntry entry) {

		static final SubjectState NEVER_WRITTEN = new SubjectState(0, null);

		@Nullable StoredEntry live(Instant now) {
			return (this.entry != null && !this.entry.metadata().isExpiredAt(now)) ? this.entry : null;
		}

	}

}
