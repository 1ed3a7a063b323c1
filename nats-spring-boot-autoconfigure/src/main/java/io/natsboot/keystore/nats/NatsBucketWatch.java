package io.natsboot.keystore.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import io.nats.client.support.NatsKeyValueUtil;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreException;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.StoredEntry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one watch of a bucket and namespace: an ordered, headers-only JetStream consumer on
 * the namespace's keys, so it sees every write's metadata without its value. It keeps the
 * expiry of the keys that have one (for the sweep), updates what the backend knows of
 * keys, and tells the listeners (the template's cache and user watches) about changes
 * made after it started. After a reconnect it resumes from the last sequence it saw;
 * while disconnected, listeners are told the watch is interrupted. Cache clears travel on
 * the core subject {@code _KS.CLEAR.<bucket>[.<namespace>]}.
 */
final class NatsBucketWatch {

	private static final Log logger = LogFactory.getLog(NatsBucketWatch.class);

	private static final byte[] NO_VALUE = new byte[0];

	private final NatsKeyValueBackend backend;

	private final Connection connection;

	private final String clearSubject;

	private final List<KeyValueBackend.Listener> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Expiry> expiries = new ConcurrentHashMap<>();

	private volatile @Nullable Dispatcher dispatcher;

	private volatile boolean running;

	private volatile long lastSequence;

	private volatile long liveFrom;

	NatsBucketWatch(NatsKeyValueBackend backend, Connection connection) {
		this.backend = backend;
		this.connection = connection;
		this.clearSubject = "_KS.CLEAR." + backend.bucket()
				+ (backend.namespace().isEmpty() ? "" : "." + backend.namespace());
	}

	AutoCloseable addListener(KeyValueBackend.Listener listener) {
		synchronized (this) {
			this.listeners.add(listener);
			if (this.running) {
				listener.onWatchResumed();
				return () -> this.listeners.remove(listener);
			}
		}
		if (this.connection.getStatus() == Connection.Status.CONNECTED) {
			try {
				this.backend.jetStream();
			}
			catch (RuntimeException ex) {
				logger.warn("Key store bucket '" + this.backend.bucket()
						+ "' is not ready yet; its cache serves hits once it is: " + ex.getMessage());
			}
		}
		return () -> this.listeners.remove(listener);
	}

	boolean isRunning() {
		return this.running;
	}

	synchronized void startIfIdle() {
		if (!this.running) {
			start();
		}
	}

	private void start() {
		closeDispatcher();
		long since = this.backend.translator().mark();
		try {
			StreamState stream = this.backend.rawJetStream()
				.getStreamContext(this.backend.streamName())
				.getStreamInfo()
				.getStreamState();
			long resumeAfter = this.lastSequence;
			if (resumeAfter > stream.getLastSequence()
					|| (resumeAfter > 0 && stream.getFirstSequence() > resumeAfter + 1)) {
				// the stream was recreated or lost what this watch missed: take a fresh
				// snapshot
				resumeAfter = 0;
				this.lastSequence = 0;
				this.expiries.clear();
			}
			ConsumerConfiguration.Builder consumer = ConsumerConfiguration.builder()
				.ackPolicy(AckPolicy.None)
				.headersOnly(true)
				.filterSubject(this.backend.filterSubject());
			if (resumeAfter > 0) {
				consumer.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(resumeAfter + 1);
				this.liveFrom = resumeAfter;
			}
			else {
				// what exists now is the snapshot: it fills the expiry index but is no
				// event
				consumer.deliverPolicy(DeliverPolicy.LastPerSubject);
				this.liveFrom = stream.getLastSequence();
			}
			Dispatcher dispatcher = this.connection.createDispatcher();
			this.dispatcher = dispatcher;
			this.backend.rawJetStream()
				.subscribe(null, dispatcher, (message) -> onMessage(dispatcher, message), false,
						PushSubscribeOptions.builder()
							.stream(this.backend.streamName())
							.ordered(true)
							.configuration(consumer.build())
							.build());
			dispatcher.subscribe(this.clearSubject, (message) -> {
				if (dispatcher == this.dispatcher) {
					this.listeners.forEach(KeyValueBackend.Listener::onCacheClear);
				}
			});
			// a refused subscription to cache clears would leave caches stale without a
			// word
			this.backend.translator()
				.checkSubscribed(this.connection, this.clearSubject, since, this.backend.timeout());
			if (this.connection.getStatus() != Connection.Status.CONNECTED) {
				closeDispatcher();
				throw new KeyStoreException("Cannot watch key store bucket '" + this.backend.bucket()
						+ "': the connection was lost while starting");
			}
			this.running = true;
			this.listeners.forEach(KeyValueBackend.Listener::onWatchResumed);
		}
		catch (NatsPermissionException ex) {
			closeDispatcher();
			throw ex;
		}
		catch (IOException | JetStreamApiException ex) {
			closeDispatcher();
			throw this.backend.watchFailure(since, ex);
		}
	}

	synchronized void stop() {
		interrupted();
	}

	/**
	 * Stops the watch after a disconnect: listeners stop serving from caches until it
	 * starts again.
	 */
	synchronized void interrupted() {
		closeDispatcher();
		if (this.running) {
			this.running = false;
			this.listeners.forEach(KeyValueBackend.Listener::onWatchInterrupted);
		}
	}

	private void closeDispatcher() {
		Dispatcher dispatcher = this.dispatcher;
		this.dispatcher = null;
		if (dispatcher != null) {
			try {
				this.connection.closeDispatcher(dispatcher);
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the watch of bucket '" + this.backend.bucket() + "' failed", ex);
			}
		}
	}

	void publishClear() {
		this.connection.publish(this.clearSubject, "clear".getBytes(StandardCharsets.UTF_8));
	}

	private void onMessage(Dispatcher from, Message message) {
		if (from != this.dispatcher) {
			return; // a message of a watch that was replaced
		}
		String key = this.backend.keyOf(message.getSubject());
		long sequence = message.metaData().streamSequence();
		this.lastSequence = Math.max(this.lastSequence, sequence);
		if (key == null) {
			return;
		}
		Headers headers = message.getHeaders();
		KeyValueOperation operation = NatsKeyValueUtil.getOperation(headers);
		KeyEvent event;
		if (operation == KeyValueOperation.PUT) {
			KeyMetadata metadata = NatsEntryHeaders.read(key, headers, sequence,
					message.metaData().timestamp().toInstant(), size(headers));
			track(key, metadata);
			// writes need the metadata only, never the value
			this.backend.observed(key,
					new NatsKeyValueBackend.SubjectState(sequence, new StoredEntry(metadata, NO_VALUE)));
			event = new KeyEvent(KeyEvent.Type.PUT, key, sequence, metadata);
		}
		else {
			untrack(key, sequence);
			this.backend.observed(key, new NatsKeyValueBackend.SubjectState(sequence, null));
			boolean expired = NatsEntryHeaders.REASON_EXPIRED
				.equals(NatsEntryHeaders.first(headers, NatsEntryHeaders.REASON))
					|| NatsEntryHeaders.first(headers, NatsJetStreamConstants.NATS_MARKER_REASON_HDR) != null;
			event = new KeyEvent(expired ? KeyEvent.Type.EXPIRED : KeyEvent.Type.DELETE, key, sequence, null);
		}
		if (sequence <= this.liveFrom) {
			return;
		}
		for (KeyValueBackend.Listener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn(
						"A listener of key store bucket '" + this.backend.bucket() + "' failed on key '" + key + "'",
						ex);
			}
		}
	}

	private static long size(@Nullable Headers headers) {
		String size = NatsEntryHeaders.first(headers, NatsJetStreamConstants.MSG_SIZE_HDR);
		try {
			return (size != null) ? Long.parseLong(size) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	void track(String key, KeyMetadata stored) {
		if (stored.expiresAt() != null) {
			this.expiries.merge(key, new Expiry(stored.revision(), stored.expiresAt()),
					(old, fresh) -> (old.revision > fresh.revision) ? old : fresh);
		}
		else {
			untrack(key, stored.revision());
		}
	}

	void untrack(String key, long revision) {
		this.expiries.computeIfPresent(key, (k, old) -> (old.revision <= revision) ? null : old);
	}

	/**
	 * Purges the keys that expired, each only if it is still the revision that expired.
	 */
	void sweep(Instant now) {
		for (Map.Entry<String, Expiry> expiry : this.expiries.entrySet()) {
			Expiry value = expiry.getValue();
			if (!value.expiresAt.isAfter(now)) {
				this.backend.purgeExpired(expiry.getKey(), value.revision);
				this.expiries.remove(expiry.getKey(), value);
			}
		}
	}

	/**
	 * When a key expires, as of a revision.
	 */
	private record Expiry(long revision, Instant expiresAt) {

	}

}
