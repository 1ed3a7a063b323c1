package io.natsboot.keystore.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyValueBackend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The watch of one Redis bucket: its subscription to the bucket's
 * {@code {<bucket>}#events} channel (see {@link RedisKeyValueBackend} for the messages),
 * its listeners, one per namespace watched, and the state of its revision check. The
 * {@link RedisKeyValueBackendFactory} that made it owns the listener container, the
 * threads and the expiry subscription that all buckets share.
 * <p>
 * Every event carries the bucket revision of its change: a revision that jumps, or a
 * counter read at a check that is above the last revision an event brought, means events
 * were lost, and the listeners hear {@link KeyValueBackend.Listener#onWatchInterrupted()}
 * then {@link KeyValueBackend.Listener#onWatchResumed()}. A check that fails interrupts
 * the watch until one works again. The check state is changed by the check thread only,
 * under the watch's lock, which also orders the notifications it queues against those of
 * new subscriptions.
 */
final class RedisBucketWatch implements MessageListener {

	// the factory's category, where these messages were logged before the watch had a
	// class of its own, so logging configured for it still applies
	/** The kind of the check's own message on the channel. */
	private static final String ECHO = "ECHO";

	private static final Log logger = LogFactory.getLog(RedisKeyValueBackendFactory.class);

	private final RedisKeyValueBackendFactory factory;

	private final String bucket;

	private final ChannelTopic topic;

	private final byte[] revisionKey;

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	/** The highest revision an event brought. */
	private final AtomicLong lastSeen = new AtomicLong();

	/** The counter read at the previous check. */
	private long previousRead;

	private boolean healthy;

	private @Nullable Future<Long> pendingProbe;

	/**
	 * Whether the channel's SUBSCRIBE went through; a failed one is tried again by the
	 * check.
	 */
	private volatile boolean subscribed;

	// the token of the check's message on the channel, while one is on its way
	private volatile @Nullable String echoToken;

	private volatile boolean echoed;

	RedisBucketWatch(RedisKeyValueBackendFactory factory, String bucket) {
		this.factory = factory;
		this.bucket = bucket;
		this.topic = new ChannelTopic(RedisKeyValueBackend.eventChannel(bucket));
		this.revisionKey = RedisKeyValueBackend.revisionKey(bucket).getBytes(StandardCharsets.UTF_8);
	}

	String bucket() {
		return this.bucket;
	}

	/**
	 * Subscribes to the bucket's channel, then reads the counter, so that every later
	 * change comes with an event.
	 */
	void open(RedisMessageListenerContainer container) {
		try {
			container.addMessageListener(this, this.topic);
			this.subscribed = true;
			long revision = readRevision();
			synchronized (this) {
				this.lastSeen.accumulateAndGet(revision, Math::max);
				this.previousRead = revision;
				this.healthy = true;
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot watch Redis bucket '" + this.bucket + "' yet: "
					+ RedisKeyValueBackendFactory.message(ex) + "; local caches stay off until the watch runs");
		}
	}

	/**
	 * Unsubscribes from the bucket's channel, once the last listener is gone.
	 */
	void close(RedisMessageListenerContainer container) {
		try {
			container.removeMessageListener(this, this.topic);
		}
		catch (RuntimeException ex) {
			logger.debug("Unsubscribing from " + this.topic.getTopic() + " failed", ex);
		}
	}

	synchronized boolean isHealthy() {
		return this.healthy;
	}

	/**
	 * Adds a listener; a running watch tells it at once (on the event thread) that it
	 * resumed.
	 * @return the notification queued, or null when the watch does not run
	 */
	synchronized @Nullable Future<?> add(Subscription subscription) {
		this.subscriptions.add(subscription);
		return this.healthy ? this.factory
			.dispatch(() -> subscription.tell("watch resumed", KeyValueBackend.Listener::onWatchResumed)) : null;
	}

	/**
	 * Removes a listener.
	 * @return whether none is left
	 */
	boolean remove(Subscription subscription) {
		this.subscriptions.remove(subscription);
		return this.subscriptions.isEmpty();
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		int first = body.indexOf(' ');
		if (first < 0) {
			logger.debug("Ignoring message '" + body + "' on " + this.topic.getTopic());
			return;
		}
		String kind = body.substring(0, first);
		if (kind.equals(ECHO)) {
			// the check's own message, back through the subscription: it listens again
			if (body.substring(first + 1).equals(this.echoToken)) {
				this.echoed = true;
			}
			return;
		}
		if (kind.equals("CLEAR")) {
			String namespace = body.substring(first + 1);
			for (Subscription subscription : this.subscriptions) {
				if (subscription.namespace.equals(namespace)) {
					subscription.tell("cache clear", KeyValueBackend.Listener::onCacheClear);
				}
			}
			return;
		}
		int second = body.indexOf(' ', first + 1);
		KeyEvent.Type type = kind.equals("PUT") ? KeyEvent.Type.PUT
				: kind.equals("DELETE") ? KeyEvent.Type.DELETE : null;
		if (second < 0 || type == null) {
			logger.debug("Ignoring message '" + body + "' on " + this.topic.getTopic());
			return;
		}
		long revision;
		try {
			revision = Long.parseLong(body, first + 1, second, 10);
		}
		catch (NumberFormatException ex) {
			logger.debug("Ignoring message '" + body + "' on " + this.topic.getTopic());
			return;
		}
		long previous = this.lastSeen.getAndAccumulate(revision, Math::max);
		if (revision > previous + 1 && isHealthy()) {
			// every revision is published once, in order: a jump means events were lost
			logger.info("The watch of Redis bucket '" + this.bucket + "' missed changes " + (previous + 1) + " to "
					+ (revision - 1) + "; clearing local caches");
			this.subscriptions.forEach((subscription) -> {
				subscription.tell("watch interrupted", KeyValueBackend.Listener::onWatchInterrupted);
				subscription.tell("watch resumed", KeyValueBackend.Listener::onWatchResumed);
			});
		}
		deliver(type, body.substring(second + 1), revision);
	}

	/**
	 * Tells the listeners that a value key of the bucket expired.
	 * @param rest the key after {@code {<bucket>}:}
	 */
	void expired(String rest) {
		// the next revision: drops what is cached of the key, yet lets its next write be
		// cached
		deliver(KeyEvent.Type.EXPIRED, rest, this.lastSeen.get() + 1);
	}

	private void deliver(KeyEvent.Type type, String rest, long revision) {
		for (Subscription subscription : this.subscriptions) {
			String key = subscription.userKey(rest);
			if (key != null) {
				KeyEvent event = new KeyEvent(type, key, revision, null);
				subscription.tell(type + " of key '" + key + "'", (listener) -> listener.onEvent(event));
			}
		}
	}

	/**
	 * Reads the counter and compares it with the events seen; runs on the check thread.
	 */
	void check() {
		Long current = probe();
		RedisMessageListenerContainer container = this.factory.container();
		if (current != null && container != null && !this.subscribed) {
			resubscribe(container);
		}
		boolean listening = container != null && container.isListening() && this.subscribed;
		synchronized (this) {
			if (current == null || !listening) {
				// an echo from before this outage says nothing of the subscription after
				// it
				this.echoed = false;
				this.echoToken = null;
				if (this.healthy) {
					this.healthy = false;
					logger.warn("The watch of Redis bucket '" + this.bucket + "' is interrupted: "
							+ ((current == null) ? "Redis does not answer" : "not subscribed")
							+ "; local caches are off until it runs again");
					// at once, not behind events or listeners the event thread may be
					// busy with
					this.subscriptions.forEach((subscription) -> subscription.tell("watch interrupted",
							KeyValueBackend.Listener::onWatchInterrupted));
				}
				return;
			}
			if (!this.healthy && !channelAnswers()) {
				// Redis answers, but Lettuce may not have subscribed the channel again
				// yet: events written now would be lost to the listeners
				return;
			}
			long previous = this.previousRead;
			this.previousRead = current;
			if (!this.healthy) {
				// the caches were cleared when the watch stopped: start again from here
				this.healthy = true;
				this.lastSeen.set(current);
				// a restarted or promoted server may have lost the setting
				this.factory.enableExpiryNotifications();
				logger.info("The watch of Redis bucket '" + this.bucket + "' runs again");
				tellAll("watch resumed", KeyValueBackend.Listener::onWatchResumed);
			}
			else if (previous > this.lastSeen.get() || current < previous) {
				// events were lost (a pub/sub reconnect), or the counter went back (data
				// lost)
				logger.info("The watch of Redis bucket '" + this.bucket + "' missed changes (revision "
						+ Math.max(previous, current) + ", last event " + this.lastSeen.get()
						+ "); clearing local caches");
				// after a counter that went back, later events must be judged from the
				// new count
				this.lastSeen.set(current);
				this.subscriptions.forEach((subscription) -> subscription.tell("watch interrupted",
						KeyValueBackend.Listener::onWatchInterrupted));
				tellAll("watch resumed", KeyValueBackend.Listener::onWatchResumed);
			}
		}
	}

	/**
	 * Whether the channel's subscription delivers again: a message this check published
	 * came back through it. Publishes one (with a token of its own, which other instances
	 * ignore) when none is on its way.
	 */
	private boolean channelAnswers() {
		if (this.echoed) {
			this.echoed = false;
			this.echoToken = null;
			return true;
		}
		String token = this.echoToken;
		if (token == null) {
			token = UUID.randomUUID().toString();
			this.echoToken = token;
		}
		// on the prober, not under this watch's lock: a Redis half away must not hold the
		// event thread (the next probe waits behind it and reports the outage)
		ExecutorService prober = this.factory.prober();
		if (prober != null && !prober.isShutdown()) {
			byte[] message = (ECHO + " " + token).getBytes(StandardCharsets.UTF_8);
			try {
				prober.execute(() -> publishEcho(message));
			}
			catch (RejectedExecutionException ex) {
				// stopping
			}
		}
		return false;
	}

	private void publishEcho(byte[] message) {
		try (RedisConnection connection = this.factory.connectionFactory().getConnection()) {
			connection.publish(this.topic.getTopic().getBytes(StandardCharsets.UTF_8), message);
		}
		catch (RuntimeException ex) {
			logger.debug("Publishing the watch check of Redis bucket '" + this.bucket + "' failed", ex);
		}
	}

	/**
	 * Subscribes the channel again after a SUBSCRIBE failed: the container keeps the
	 * listener but would never subscribe its channel by itself.
	 */
	private void resubscribe(RedisMessageListenerContainer container) {
		try {
			container.removeMessageListener(this, this.topic);
			container.addMessageListener(this, this.topic);
			this.subscribed = true;
			logger.info("Subscribed the watch of Redis bucket '" + this.bucket + "' again");
		}
		catch (RuntimeException ex) {
			logger.debug("Subscribing the watch of Redis bucket '" + this.bucket + "' failed again", ex);
		}
	}

	private void tellAll(String what, Consumer<KeyValueBackend.Listener> call) {
		this.factory.dispatch(() -> this.subscriptions.forEach((subscription) -> subscription.tell(what, call)));
	}

	/**
	 * Reads the counter within the check interval (at least a second), however long the
	 * connection's own timeout is; a read still under way is awaited again at the next
	 * check.
	 */
	private @Nullable Long probe() {
		ExecutorService prober = this.factory.prober();
		if (prober == null || prober.isShutdown()) {
			return null;
		}
		Future<Long> probe = this.pendingProbe;
		if (probe == null) {
			probe = prober.submit(this::readRevision);
			this.pendingProbe = probe;
		}
		try {
			Long revision = probe.get(Math.max(1000, this.factory.checkInterval().toMillis()), TimeUnit.MILLISECONDS);
			this.pendingProbe = null;
			return revision;
		}
		catch (TimeoutException ex) {
			return null;
		}
		catch (ExecutionException ex) {
			this.pendingProbe = null;
			logger.debug("Reading the revision of Redis bucket '" + this.bucket + "' failed", ex.getCause());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private long readRevision() {
		try (RedisConnection connection = this.factory.connectionFactory().getConnection()) {
			byte[] value = connection.stringCommands().get(this.revisionKey);
			return (value != null) ? Long.parseLong(new String(value, StandardCharsets.US_ASCII)) : 0;
		}
	}

	/**
	 * A listener of one namespace of a bucket.
	 */
	static final class Subscription {

		private final String namespace;

		/**
		 * What the rest of a value key (after {@code <bucket>:}) starts with in this
		 * namespace.
		 */
		private final String prefix;

		private final KeyValueBackend.Listener listener;

		private volatile boolean closed;

		Subscription(String namespace, KeyValueBackend.Listener listener) {
			this.namespace = namespace;
			this.prefix = namespace.isEmpty() ? "" : namespace + ":";
			this.listener = listener;
		}

		/**
		 * Stops the notifications, those already queued for this listener too.
		 */
		void close() {
			this.closed = true;
		}

		/**
		 * The user's key of a key's rest, or null when it belongs to another namespace.
		 */
		@Nullable String userKey(String rest) {
			if (this.prefix.isEmpty()) {
				return rest;
			}
			return (rest.length() > this.prefix.length() && rest.startsWith(this.prefix))
					? rest.substring(this.prefix.length()) : null;
		}

		/**
		 * Calls the listener unless closed; a listener's failure is logged, never passed
		 * on to the other listeners or the event thread.
		 */
		void tell(String what, Consumer<KeyValueBackend.Listener> call) {
			if (this.closed) {
				return;
			}
			try {
				call.accept(this.listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Key store listener failed on " + what, ex);
			}
		}

	}

}
