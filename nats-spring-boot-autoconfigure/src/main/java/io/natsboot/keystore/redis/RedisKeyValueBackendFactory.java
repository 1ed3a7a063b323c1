package io.natsboot.keystore.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.natsboot.core.NatsThreads;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyNames;
import io.natsboot.keystore.KeyValueBackend;
import io.natsboot.keystore.KeyValueBackendFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisClusterServerCommands;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisServerCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * Creates the Redis backends of the key store and watches their buckets for all of them:
 * one {@link RedisMessageListenerContainer} (one pub/sub connection) carries the events
 * of every bucket, and one thread checks the buckets' revision counters for lost events.
 * <p>
 * Events are dispatched on one thread, in channel order. Each watched bucket is
 * subscribed to its {@code {<bucket>}#events} channel (see {@link RedisKeyValueBackend}
 * for the messages) and every bucket shares a subscription to
 * {@code __keyevent@<db>__:expired}, which turns Redis expiry of value keys into
 * {@link KeyEvent.Type#EXPIRED} events. At the first watch the factory adds {@code E} and
 * {@code x} to the server's {@code notify-keyspace-events} when they are missing; when
 * the server refuses {@code CONFIG}, it logs one warning and goes on without
 * {@code EXPIRED} events (expiry itself does not depend on them).
 * <p>
 * On a Redis Cluster ({@link LettuceConnectionFactory#isClusterAware()}) the same holds
 * with two differences, both because keyspace notifications stay on the node where the
 * key expired while ordinary {@code PUBLISH} reaches every node:
 * {@code notify-keyspace-events} is set on every node of the cluster, and the expiry
 * channel is subscribed on every master through a cluster pub/sub connection of Lettuce's
 * own (the bucket channels still go through the listener container, on any node). The
 * checks subscribe masters again that joined the cluster view later, e.g. a promoted
 * replica once Lettuce has refreshed its topology.
 * <p>
 * Lost events (a pub/sub reconnect drops whatever was published meanwhile) are found by
 * the revision counter: every event carries the bucket revision of its change, and every
 * check interval the counter is read; when the value read at the previous check is still
 * above the last revision an event brought, events were lost and the listeners hear
 * {@link KeyValueBackend.Listener#onWatchInterrupted()} then
 * {@link KeyValueBackend.Listener#onWatchResumed()}, so that caches start again empty.
 * When the check fails (Redis down or slower than the interval), the listeners hear
 * {@code onWatchInterrupted()}, and {@code onWatchResumed()} once it works again.
 */
public class RedisKeyValueBackendFactory implements KeyValueBackendFactory, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisKeyValueBackendFactory.class);

	private static final String KEYSPACE_EVENTS = "notify-keyspace-events";

	private final RedisConnectionFactory connectionFactory;

	private final Duration checkInterval;

	private final Object monitor = new Object();

	private final Map<String, RedisBucketWatch> watches = new ConcurrentHashMap<>();

	private @Nullable RedisMessageListenerContainer container;

	private @Nullable ScheduledThreadPoolExecutor events;

	private @Nullable ScheduledExecutorService checker;

	private @Nullable ExecutorService prober;

	private volatile @Nullable Thread eventThread;

	private @Nullable ClusterExpirySubscription clusterExpiry;

	private boolean destroyed;

	/**
	 * Creates a factory that checks the watched buckets every second.
	 * @param connectionFactory the Redis connections
	 */
	public RedisKeyValueBackendFactory(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, Duration.ofSeconds(1));
	}

	/**
	 * Creates a factory.
	 * @param connectionFactory the Redis connections (Lettuce)
	 * @param checkInterval how often the watched buckets' revision counters are checked
	 * for lost events and Redis for reachability
	 */
	public RedisKeyValueBackendFactory(RedisConnectionFactory connectionFactory, Duration checkInterval) {
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		// Jedis' blocking subscriber would hold the one event thread for ever
		Assert.isInstanceOf(LettuceConnectionFactory.class, connectionFactory,
				"The Redis key store backend needs Lettuce (spring-boot-starter-data-redis' default client)");
		Assert.isTrue(checkInterval != null && !checkInterval.isNegative() && !checkInterval.isZero(),
				"Check interval must be positive");
		this.connectionFactory = connectionFactory;
		this.checkInterval = checkInterval;
	}

	/**
	 * Creates the backend of a bucket and namespace.
	 * @param bucket the bucket's name (letters, digits, {@code -}, {@code _}), the prefix
	 * of its Redis keys
	 * @param namespace the namespace isolating this application's keys, possibly empty
	 * @return the backend
	 */
	@Override
	public RedisKeyValueBackend create(String bucket, String namespace) {
		// the key layout relies on bucket names without ':' and '#'
		Assert.isTrue(KeyNames.isValidBucket(bucket),
				() -> "Bucket name '" + bucket + "' is not valid: use letters, digits, '-' and '_'");
		Assert.notNull(namespace, "Namespace must not be null");
		return new RedisKeyValueBackend(this, bucket, namespace);
	}

	/**
	 * Stops the watches and the background threads; never deletes data.
	 */
	@Override
	public void destroy() {
		RedisMessageListenerContainer container;
		synchronized (this.monitor) {
			this.destroyed = true;
			container = this.container;
			this.container = null;
			this.watches.clear();
		}
		if (container != null) {
			try {
				container.destroy();
			}
			catch (Exception ex) {
				logger.debug("Stopping the Redis key store listener container failed", ex);
			}
		}
		ClusterExpirySubscription clusterExpiry = this.clusterExpiry;
		if (clusterExpiry != null) {
			clusterExpiry.close();
		}
		shutdown(this.checker);
		shutdown(this.prober);
		shutdown(this.events);
	}

	RedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	Duration checkInterval() {
		return this.checkInterval;
	}

	/**
	 * The listener container carrying every bucket's channel, null before the first watch
	 * and after {@link #destroy()}.
	 */
	@Nullable RedisMessageListenerContainer container() {
		return this.container;
	}

	/**
	 * The thread that reads the revision counters for the checks, null before the first
	 * watch.
	 */
	@Nullable ExecutorService prober() {
		return this.prober;
	}

	/**
	 * Starts telling a listener about the changes of a bucket's namespace.
	 */
	AutoCloseable subscribe(String bucket, String namespace, KeyValueBackend.Listener listener) {
		RedisBucketWatch.Subscription subscription = new RedisBucketWatch.Subscription(namespace, listener);
		RedisBucketWatch watch;
		Future<?> resumed;
		synchronized (this.monitor) {
			Assert.state(!this.destroyed, "The Redis key store backend factory is destroyed");
			RedisMessageListenerContainer container = start();
			watch = this.watches.get(bucket);
			if (watch == null) {
				watch = new RedisBucketWatch(this, bucket);
				watch.open(container);
				this.watches.put(bucket, watch);
			}
			resumed = watch.add(subscription);
		}
		awaitDispatch(resumed);
		RedisBucketWatch subscribed = watch;
		return () -> unsubscribe(subscribed, subscription);
	}

	private void unsubscribe(RedisBucketWatch watch, RedisBucketWatch.Subscription subscription) {
		// notifications already queued for this listener are dropped
		subscription.close();
		synchronized (this.monitor) {
			boolean idle = watch.remove(subscription);
			RedisMessageListenerContainer container = this.container;
			if (idle && this.watches.remove(watch.bucket(), watch) && container != null) {
				watch.close(container);
			}
		}
	}

	/**
	 * Sets up the container, the threads and the expiry subscription at the first watch.
	 * @return the container
	 */
	private RedisMessageListenerContainer start() {
		RedisMessageListenerContainer started = this.container;
		if (started != null) {
			return started;
		}
		ThreadFactory eventThreads = NatsThreads.daemon("natsboot-keystore-redis-events");
		ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = eventThreads.newThread(runnable);
			this.eventThread = thread;
			return thread;
		});
		this.events = events;
		this.prober = Executors.newSingleThreadExecutor(NatsThreads.daemon("natsboot-keystore-redis-check-probe"));
		ScheduledExecutorService checker = Executors
			.newSingleThreadScheduledExecutor(NatsThreads.daemon("natsboot-keystore-redis-check"));
		this.checker = checker;
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		// one thread dispatches every message, so listeners hear them in channel order;
		// being a scheduled executor, it also runs the container's subscription retries
		// without blocking
		container.setTaskExecutor(events);
		container.setSubscriptionExecutor(events);
		container.setRecoveryInterval(Math.max(1000, this.checkInterval.toMillis()));
		container.afterPropertiesSet();
		container.start();
		this.container = container;
		enableExpiryNotifications();
		ExpiryListener expiryListener = new ExpiryListener();
		if (isCluster()) {
			ClusterExpirySubscription clusterExpiry = new ClusterExpirySubscription(expiryListener);
			this.clusterExpiry = clusterExpiry;
			clusterExpiry.subscribe();
		}
		else {
			try {
				container.addMessageListener(expiryListener, new ChannelTopic(expiryChannel()));
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot subscribe to Redis expiry notifications yet: " + message(ex)
						+ "; the subscription is retried in the background");
			}
		}
		long millis = Math.max(10, this.checkInterval.toMillis());
		checker.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
		return container;
	}

	/**
	 * Adds {@code E} and {@code x} to {@code notify-keyspace-events} when they are
	 * missing, keeping the other flags.
	 */
	void enableExpiryNotifications() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (connection instanceof RedisClusterConnection cluster) {
				// each node publishes the expiry of its own keys only: every node needs
				// the flags, replicas too, so that a promoted one goes on publishing
				List<String> failed = new ArrayList<>();
				RuntimeException failure = null;
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					RedisClusterServerCommands commands = cluster.serverCommands();
					try {
						enableExpiryNotifications(commands.getConfig(node, KEYSPACE_EVENTS),
								(flags) -> commands.setConfig(node, KEYSPACE_EVENTS, flags),
								"node " + node.asString() + " ");
					}
					catch (RuntimeException ex) {
						// a node that is down must not keep the others from getting the
						// flags
						failed.add(node.asString());
						failure = ex;
					}
				}
				if (failure != null) {
					throw new IllegalStateException("nodes " + failed + " refused: " + message(failure), failure);
				}
			}
			else {
				RedisServerCommands commands = connection.serverCommands();
				enableExpiryNotifications(commands.getConfig(KEYSPACE_EVENTS),
						(flags) -> commands.setConfig(KEYSPACE_EVENTS, flags), "");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("EXPIRED watch events of the Redis key store are off: cannot enable expiry notifications with "
					+ "'CONFIG SET notify-keyspace-events Ex' (" + message(ex) + "). Set notify-keyspace-events to "
					+ "include 'Ex' on the server" + (isCluster() ? " (every node of the cluster)" : "")
					+ " to get them; key expiry itself does not depend on them.");
		}
	}

	private static void enableExpiryNotifications(@Nullable Properties config, Consumer<String> setter, String node) {
		String flags = "";
		if (config != null) {
			// a cluster node's reply may name the parameter with the node as prefix
			for (String name : config.stringPropertyNames()) {
				if (name.equals(KEYSPACE_EVENTS) || name.endsWith("." + KEYSPACE_EVENTS)) {
					flags = config.getProperty(name, "");
				}
			}
		}
		boolean keyevent = flags.indexOf('E') >= 0;
		boolean expired = flags.indexOf('x') >= 0 || flags.indexOf('A') >= 0;
		if (keyevent && expired) {
			return;
		}
		String merged = flags + (keyevent ? "" : "E") + (expired ? "" : "x");
		setter.accept(merged);
		logger.debug("Set Redis " + node + "notify-keyspace-events to '" + merged + "' for EXPIRED key store events");
	}

	private boolean isCluster() {
		return this.connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	private String expiryChannel() {
		// a cluster has database 0 only
		int database = (this.connectionFactory instanceof LettuceConnectionFactory lettuce && !isCluster())
				? lettuce.getDatabase() : 0;
		return "__keyevent@" + database + "__:expired";
	}

	private void check() {
		ClusterExpirySubscription clusterExpiry = this.clusterExpiry;
		if (clusterExpiry != null) {
			clusterExpiry.subscribe();
		}
		for (RedisBucketWatch watch : this.watches.values()) {
			try {
				watch.check();
			}
			catch (RuntimeException ex) {
				logger.warn("Checking the watch of Redis bucket '" + watch.bucket() + "' failed", ex);
			}
		}
	}

	/**
	 * Runs a notification on the event thread, after every message received before.
	 */
	Future<?> dispatch(Runnable notification) {
		ScheduledThreadPoolExecutor events = this.events;
		if (events == null || events.isShutdown()) {
			return CompletableFuture.completedFuture(null);
		}
		return events.submit(notification);
	}

	private void awaitDispatch(@Nullable Future<?> future) {
		// a listener that subscribes from a notification must not wait for itself
		if (future == null || Thread.currentThread() == this.eventThread) {
			return;
		}
		try {
			future.get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Waiting for the watch notification failed", ex);
		}
	}

	private static void shutdown(@Nullable ExecutorService executor) {
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	static String message(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	/**
	 * Turns the expiry of value keys into {@code EXPIRED} events of their bucket.
	 */
	private final class ExpiryListener implements MessageListener {

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			expired(new String(message.getBody(), StandardCharsets.UTF_8));
		}

		void expired(String key) {
			// metadata hashes ('{<bucket>}#meta:...') and other clients' keys give no
			// bucket
			String bucket = RedisKeyValueBackend.bucketOf(key);
			RedisBucketWatch watch = (bucket != null) ? RedisKeyValueBackendFactory.this.watches.get(bucket) : null;
			if (watch != null) {
				watch.expired(key.substring(bucket.length() + 3));
			}
		}

	}

	/**
	 * The expiry channel subscribed on every master of a cluster, as keyspace
	 * notifications are published on the node of the key only. Messages go to the event
	 * thread like every other.
	 */
	private final class ClusterExpirySubscription {

		private final ExpiryListener listener;

		private final String channel = expiryChannel();

		private @Nullable StatefulRedisClusterPubSubConnection<String, String> connection;

		/** The node ids of the masters subscribed so far. */
		private Set<String> subscribed = Set.of();

		private boolean warned;

		private boolean closed;

		ClusterExpirySubscription(ExpiryListener listener) {
			this.listener = listener;
		}

		/**
		 * Subscribes the masters of the current cluster view, unless they all are
		 * already; a node's reconnect is Lettuce's business, which subscribes its
		 * channels again.
		 */
		synchronized void subscribe() {
			if (this.closed) {
				return;
			}
			try {
				StatefulRedisClusterPubSubConnection<String, String> connection = this.connection;
				if (connection == null) {
					RedisClusterClient client = (RedisClusterClient) ((LettuceConnectionFactory) RedisKeyValueBackendFactory.this.connectionFactory)
						.getRequiredNativeClient();
					connection = client.connectPubSub();
					// without it, messages of the node connections reach no listener of
					// this connection
					connection.setNodeMessagePropagation(true);
					connection.addListener(new RedisClusterPubSubAdapter<>() {

						@Override
						public void message(io.lettuce.core.cluster.models.partitions.RedisClusterNode node,
								String channel, String message) {
							if (ClusterExpirySubscription.this.channel.equals(channel)) {
								dispatch(() -> ClusterExpirySubscription.this.listener.expired(message));
							}
						}

					});
					this.connection = connection;
				}
				Set<String> masters = new HashSet<>();
				for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node : connection.getPartitions()) {
					if (node.getRole().isUpstream()) {
						masters.add(node.getNodeId());
					}
				}
				if (masters.equals(this.subscribed)) {
					return;
				}
				CompletableFuture<?>[] replies = connection.async()
					.masters()
					.commands()
					.subscribe(this.channel)
					.futures();
				CompletableFuture.allOf(replies)
					.get(Math.max(1000, RedisKeyValueBackendFactory.this.checkInterval.toMillis()) * 5,
							TimeUnit.MILLISECONDS);
				this.subscribed = masters;
				if (this.warned) {
					logger.info("Subscribed to Redis expiry notifications on every master again");
				}
				this.warned = false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException | ExecutionException | TimeoutException ex) {
				if (!this.warned) {
					this.warned = true;
					logger.warn("Cannot subscribe to Redis expiry notifications on every master of the cluster yet: "
							+ message(ex) + "; the subscription is retried at each check");
				}
			}
		}

		synchronized void close() {
			this.closed = true;
			StatefulRedisClusterPubSubConnection<String, String> connection = this.connection;
			this.connection = null;
			if (connection != null) {
				try {
					connection.close();
				}
				catch (RuntimeException ex) {
					logger.debug("Closing the Redis expiry subscription failed", ex);
				}
			}
		}

	}

}
