package io.natsboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.natsboot.core.NatsSystemSubjects;
import io.natsboot.core.StartupMode;
import io.natsboot.task.TaskTracking;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for natsboot, under the prefix {@code nats}.
 */
@ConfigurationProperties("nats")
public class NatsProperties {

	/**
	 * Whether to enable natsboot; false turns every natsboot bean off.
	 */
	private boolean enabled = true;

	/**
	 * NATS server URLs to connect to; several URLs form a cluster. A URL may carry
	 * credentials (nats://user:password@host:4222), but the dedicated properties are
	 * preferred.
	 */
	private List<String> servers = new ArrayList<>(List.of("nats://localhost:4222"));

	/**
	 * Prefix for the subjects of this application ("myapp" turns "orders" into
	 * "myapp.orders"); empty for none.
	 */
	private String namespace = "";

	/**
	 * Prefix of the subjects of the streams natsboot owns (task queue, dead letters), so
	 * that they never capture the application's own subjects: tasks travel on
	 * "natsboot.tasks.>" (after the namespace). Empty keeps the subjects of earlier
	 * snapshots ("tasks.>"), to drain a queue filled before the prefix existed.
	 */
	private String systemSubjectPrefix = NatsSystemSubjects.DEFAULT_PREFIX;

	/**
	 * Timeout of requests that name none (requestAndConvert without a timeout).
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * Connection name shown by the server (monitoring, logs). Defaults to
	 * spring.application.name.
	 */
	private @Nullable String connectionName;

	/**
	 * Prefix of the reply subjects (inboxes) of requests and JetStream calls. A tenant
	 * that may subscribe only to its own inboxes (e.g. _INBOX_tenant-a) cannot read other
	 * tenants' replies.
	 */
	private String inboxPrefix = "_INBOX";

	/**
	 * User name for user/password authentication.
	 */
	private @Nullable String username;

	/**
	 * Password for user/password authentication.
	 */
	private @Nullable String password;

	/**
	 * Token for token authentication.
	 */
	private @Nullable String token;

	/**
	 * NKey seed (starting with SU) for NKey authentication.
	 */
	private @Nullable String nkeySeed;

	/**
	 * Credentials file (.creds, user JWT and NKey seed) for decentralized JWT
	 * authentication. A file is re-read on every reconnect, so it can be rotated; a
	 * classpath resource is read once.
	 */
	private @Nullable Resource credentials;

	/**
	 * TLS settings.
	 */
	private final Ssl ssl = new Ssl();

	/**
	 * Timeout of one connection attempt.
	 */
	private Duration connectionTimeout = Duration.ofSeconds(2);

	/**
	 * Reconnection settings.
	 */
	private final Reconnect reconnect = new Reconnect();

	/**
	 * Defaults of @NatsListener containers.
	 */
	private final Listener listener = new Listener();

	private final TaskQueue taskQueue = new TaskQueue();

	/**
	 * JetStream settings.
	 */
	private final Jetstream jetstream = new Jetstream();

	private final Keystore keystore = new Keystore();

	/**
	 * Micrometer observations (traces, and timers through Boot's meter handler), made
	 * when the application has an ObservationRegistry.
	 */
	private final Observation observation = new Observation();

	/**
	 * Natsboot's own Micrometer meters.
	 */
	private final Metrics metrics = new Metrics();

	/**
	 * The natsboot console: a web page for operators at nats.console.path.
	 */
	private final Console console = new Console();

	/**
	 * Interval between client pings that detect a dead connection.
	 */
	private Duration pingInterval = Duration.ofMinutes(2);

	/**
	 * How long draining subscriptions may take at shutdown before the connection is
	 * closed anyway.
	 */
	private Duration drainTimeout = Duration.ofSeconds(10);

	/**
	 * What to do when NATS cannot be reached at start-up: 'wait' starts the application
	 * and connects in the background; 'fail' fails start-up.
	 */
	private StartupMode startup = StartupMode.WAIT;

	/**
	 * Creates the properties with their defaults.
	 */
	public NatsProperties() {
		// the deprecated nats.jetstream.duplicate-window sets the task queue's window
		this.jetstream.taskQueue = this.taskQueue;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getServers() {
		return this.servers;
	}

	public void setServers(List<String> servers) {
		this.servers = servers;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public String getSystemSubjectPrefix() {
		return this.systemSubjectPrefix;
	}

	public void setSystemSubjectPrefix(String systemSubjectPrefix) {
		this.systemSubjectPrefix = systemSubjectPrefix;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public @Nullable String getConnectionName() {
		return this.connectionName;
	}

	public void setConnectionName(@Nullable String connectionName) {
		this.connectionName = connectionName;
	}

	public String getInboxPrefix() {
		return this.inboxPrefix;
	}

	public void setInboxPrefix(String inboxPrefix) {
		this.inboxPrefix = inboxPrefix;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public @Nullable String getNkeySeed() {
		return this.nkeySeed;
	}

	public void setNkeySeed(@Nullable String nkeySeed) {
		this.nkeySeed = nkeySeed;
	}

	public @Nullable Resource getCredentials() {
		return this.credentials;
	}

	public void setCredentials(@Nullable Resource credentials) {
		this.credentials = credentials;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public TaskQueue getTaskQueue() {
		return this.taskQueue;
	}

	public Keystore getKeystore() {
		return this.keystore;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Console getConsole() {
		return this.console;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Jetstream getJetstream() {
		return this.jetstream;
	}

	public Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(Duration pingInterval) {
		this.pingInterval = pingInterval;
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	public StartupMode getStartup() {
		return this.startup;
	}

	public void setStartup(StartupMode startup) {
		this.startup = startup;
	}

	@Override
	public String toString() {
		return "NatsProperties{servers=" + io.natsboot.core.NatsServerUrls.redact(this.servers) + ", namespace="
				+ this.namespace + ", connectionName=" + this.connectionName + ", username=" + this.username
				+ ", password=" + mask(this.password) + ", token=" + mask(this.token) + ", nkeySeed="
				+ mask(this.nkeySeed) + ", credentials=" + this.credentials + ", ssl=" + this.ssl + ", startup="
				+ this.startup + "}";
	}

	static String mask(@Nullable String secret) {
		return (secret != null) ? "******" : "null";
	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Whether to use TLS. Implied when a bundle is named; without a bundle, the JVM's
		 * default trust store is used.
		 */
		private boolean enabled;

		/**
		 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) with the trust
		 * material and, for mutual TLS, the client's key.
		 */
		private @Nullable String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		@Override
		public String toString() {
			return "{enabled=" + this.enabled + ", bundle=" + this.bundle + "}";
		}

	}

	/**
	 * JetStream settings.
	 */
	public static class Jetstream {

		/**
		 * Where the deprecated {@code nats.jetstream.duplicate-window} now lives;
		 * {@link NatsProperties} links its own task-queue settings (a field, not a
		 * constructor argument, so that the binder and the metadata still treat this
		 * class as a JavaBean).
		 */
		private TaskQueue taskQueue = new TaskQueue();

		/**
		 * JetStream domain to use, e.g. of a leaf node; none for the account's default.
		 */
		private @Nullable String domain;

		/**
		 * JetStream API prefix, for accounts that import the API of another account.
		 */
		private @Nullable String prefix;

		/**
		 * Timeout of JetStream API calls and publish acknowledgements.
		 */
		private Duration apiTimeout = Duration.ofSeconds(5);

		/**
		 * Replicas of every stream and bucket natsboot creates (task queue, statuses,
		 * results, dead letters, key store, NatsStreamDefinitions that set none), unless
		 * a feature sets its own; at most the cluster's size. 3 survives the loss of one
		 * server.
		 */
		private int replicas = 1;

		/**
		 * How long natsboot retries a write the contract depends on (task enqueue, status
		 * and result, key store write) while the cluster elects a new leader; within it,
		 * the write is repeated under the same message id or expected revision, so it
		 * never happens twice.
		 */
		private Duration failoverTimeout = Duration.ofSeconds(30);

		public Duration getFailoverTimeout() {
			return this.failoverTimeout;
		}

		public void setFailoverTimeout(Duration failoverTimeout) {
			this.failoverTimeout = failoverTimeout;
		}

		public int getReplicas() {
			return this.replicas;
		}

		public void setReplicas(int replicas) {
			this.replicas = replicas;
		}

		/**
		 * The task queue's duplicate window, under its old name.
		 * @return {@code nats.task-queue.duplicate-window}
		 * @deprecated only the task queue uses it: set
		 * {@code nats.task-queue.duplicate-window}
		 */
		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "nats.task-queue.duplicate-window",
				reason = "Only the task queue deduplicates by message id")
		public Duration getDuplicateWindow() {
			return this.taskQueue.getDuplicateWindow();
		}

		/**
		 * Sets the task queue's duplicate window, under its old name: both keys write the
		 * one {@link TaskQueue#getDuplicateWindow() window} the task queue reads, and the
		 * last write stays. With both keys set that is
		 * {@code nats.task-queue.duplicate-window}: the binder binds the properties of a
		 * bean in the alphabetical order of their accessors, {@code getJetstream} before
		 * {@code getTaskQueue}, so this setter runs first, whatever the order of the keys
		 * in the configuration.
		 * @param duplicateWindow the window
		 * @deprecated set {@code nats.task-queue.duplicate-window}
		 */
		@Deprecated(since = "0.1.0")
		public void setDuplicateWindow(Duration duplicateWindow) {
			this.taskQueue.setDuplicateWindow(duplicateWindow);
		}

		public @Nullable String getDomain() {
			return this.domain;
		}

		public void setDomain(@Nullable String domain) {
			this.domain = domain;
		}

		public @Nullable String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(@Nullable String prefix) {
			this.prefix = prefix;
		}

		public Duration getApiTimeout() {
			return this.apiTimeout;
		}

		public void setApiTimeout(Duration apiTimeout) {
			this.apiTimeout = apiTimeout;
		}

	}

	/**
	 * Which work is observed; each kind can be switched off on its own.
	 */
	public static class Observation {

		/**
		 * Whether NatsTemplate's publishes and requests and its JetStream publishes are
		 * observed (and carry the trace context in their headers).
		 */
		private boolean template = true;

		/**
		 * Whether @NatsListener containers observe each message (continuing the trace its
		 * headers carry).
		 */
		private boolean listener = true;

		/**
		 * Whether task enqueues and each attempt to run a task are observed.
		 */
		private boolean taskQueue = true;

		/**
		 * Whether key store operations that reach the backend are observed.
		 */
		private boolean keyStore = true;

		public boolean isTemplate() {
			return this.template;
		}

		public void setTemplate(boolean template) {
			this.template = template;
		}

		public boolean isListener() {
			return this.listener;
		}

		public void setListener(boolean listener) {
			this.listener = listener;
		}

		public boolean isTaskQueue() {
			return this.taskQueue;
		}

		public void setTaskQueue(boolean taskQueue) {
			this.taskQueue = taskQueue;
		}

		public boolean isKeyStore() {
			return this.keyStore;
		}

		public void setKeyStore(boolean keyStore) {
			this.keyStore = keyStore;
		}

	}

	/**
	 * Natsboot's own meters.
	 */
	public static class Metrics {

		/**
		 * Whether the hand-written timers nats.requests, nats.listener, nats.task and
		 * nats.keystore.operations are recorded. The observations time the same work
		 * under their own names (nats.request, nats.listener.process,
		 * nats.jetstream.process, nats.task.run, nats.keystore.backend); set false once
		 * dashboards read those.
		 */
		private boolean legacyTimers = true;

		public boolean isLegacyTimers() {
			return this.legacyTimers;
		}

		public void setLegacyTimers(boolean legacyTimers) {
			this.legacyTimers = legacyTimers;
		}

	}

	/**
	 * The natsboot console.
	 */
	public static class Console {

		/**
		 * Whether the console page and its JSON API are served (servlet web applications
		 * only). Off by default: it shows task payloads, errors and key names.
		 */
		private boolean enabled;

		/**
		 * Where the console is served; its JSON API is under {path}/api.
		 */
		private String path = "/natsboot";

		/**
		 * Whether the console may act (re-queue, delete and purge dead letters, stop and
		 * start listeners, re-publish dead letters of durable listeners). Read-only
		 * otherwise: the buttons are absent and the POSTs refused.
		 */
		private boolean actionsEnabled;

		/**
		 * Whether the key store view shows values; only key names and metadata otherwise.
		 */
		private boolean showValues;

		/**
		 * The authority a user needs for the console when Spring Security is on the class
		 * path.
		 */
		private String authority = "ROLE_NATS_CONSOLE";

		/**
		 * How often the page refreshes its figures.
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		/**
		 * The most task statuses the task queue view reads to count tasks by type and
		 * state; the view says when there were more.
		 */
		private int taskCensusLimit = 10_000;

		/**
		 * The instance registry: each instance writes a heartbeat to a key-value bucket,
		 * so any instance's console lists them all.
		 */
		private final Instances instances = new Instances();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public boolean isActionsEnabled() {
			return this.actionsEnabled;
		}

		public void setActionsEnabled(boolean actionsEnabled) {
			this.actionsEnabled = actionsEnabled;
		}

		public boolean isShowValues() {
			return this.showValues;
		}

		public void setShowValues(boolean showValues) {
			this.showValues = showValues;
		}

		public String getAuthority() {
			return this.authority;
		}

		public void setAuthority(String authority) {
			this.authority = authority;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public int getTaskCensusLimit() {
			return this.taskCensusLimit;
		}

		public void setTaskCensusLimit(int taskCensusLimit) {
			this.taskCensusLimit = taskCensusLimit;
		}

		public Instances getInstances() {
			return this.instances;
		}

		/**
		 * The instance registry.
		 */
		public static class Instances {

			/**
			 * Whether this instance registers itself; default: when the console is
			 * enabled. Set true on instances that serve no console but should be listed.
			 */
			private @Nullable Boolean register;

			/**
			 * The key-value bucket of the registry (in the namespace, as natsboot's other
			 * buckets).
			 */
			private String bucket = "NATSBOOT_INSTANCES";

			/**
			 * How often an instance writes its heartbeat.
			 */
			private Duration heartbeat = Duration.ofSeconds(10);

			/**
			 * After how long without a heartbeat an instance is shown as gone.
			 */
			private Duration timeout = Duration.ofSeconds(30);

			/**
			 * After how long without a heartbeat the registry forgets an instance (the
			 * bucket's max age); longer than the timeout.
			 */
			private Duration forgetAfter = Duration.ofMinutes(10);

			public @Nullable Boolean getRegister() {
				return this.register;
			}

			public void setRegister(@Nullable Boolean register) {
				this.register = register;
			}

			public String getBucket() {
				return this.bucket;
			}

			public void setBucket(String bucket) {
				this.bucket = bucket;
			}

			public Duration getHeartbeat() {
				return this.heartbeat;
			}

			public void setHeartbeat(Duration heartbeat) {
				this.heartbeat = heartbeat;
			}

			public Duration getTimeout() {
				return this.timeout;
			}

			public void setTimeout(Duration timeout) {
				this.timeout = timeout;
			}

			public Duration getForgetAfter() {
				return this.forgetAfter;
			}

			public void setForgetAfter(Duration forgetAfter) {
				this.forgetAfter = forgetAfter;
			}

		}

	}

	/**
	 * Defaults of @NatsListener containers.
	 */
	public static class Listener {

		/**
		 * Whether listener containers start with the application.
		 */
		private boolean autoStartup = true;

		/**
		 * Threads per listener; 1 keeps the order of messages.
		 */
		private int concurrency = 1;

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

	}

	/**
	 * Reconnection settings.
	 */
	public static class Reconnect {

		/**
		 * Reconnect attempts before the connection gives up and closes; -1 never gives
		 * up.
		 */
		private int maxAttempts = -1;

		/**
		 * Wait between two attempts on the same server.
		 */
		private Duration wait = Duration.ofSeconds(2);

		/**
		 * Random extra wait added to each attempt, so that many clients do not reconnect
		 * at once. Values below 1ms count as 1ms.
		 */
		private Duration jitter = Duration.ofMillis(100);

		/**
		 * Bytes of outgoing messages buffered while disconnected and before the first
		 * connect; a publish beyond it fails.
		 */
		private DataSize bufferSize = DataSize.ofMegabytes(8);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public DataSize getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(DataSize bufferSize) {
			this.bufferSize = bufferSize;
		}

	}

	/**
	 * The task queue: TaskQueue and @TaskHandler.
	 */
	public static class TaskQueue {

		/**
		 * Whether the task queue (TaskQueue bean, @TaskHandler workers) is on.
		 */
		private boolean enabled = true;

		/**
		 * Name of the work-queue stream that holds waiting tasks (namespaced); dead
		 * letters go to "<stream>_DEAD", statuses and results to the buckets
		 * "TASK_STATUS" and "TASK_RESULTS".
		 */
		private String stream = "TASKS";

		/**
		 * How long a worker may hold a task without a heartbeat before the server gives
		 * it to another worker; running tasks send heartbeats at half of it.
		 */
		private Duration ackWait = Duration.ofSeconds(30);

		private final Retry retry = new Retry();

		/**
		 * Most tasks one pull asks for; with a prefetch, a pull asks for up to half of
		 * what a worker may hold (concurrency + prefetch), at least this many; without
		 * one, never more than the idle handler threads.
		 */
		private int batchSize = 10;

		/**
		 * Tasks of one queue running at once in each instance, unless a @TaskHandler says
		 * otherwise.
		 */
		private int concurrency = 1;

		/**
		 * How long task results are kept (statuses at least a week).
		 */
		private Duration resultTtl = Duration.ofHours(1);

		/**
		 * Most tasks the stream holds; -1 for no limit.
		 */
		private long maxMsgs = -1;

		/**
		 * Most bytes the stream holds; -1 for no limit.
		 */
		private long maxBytes = -1;

		/**
		 * Replicas of the task streams and buckets; none for nats.jetstream.replicas.
		 */
		private @Nullable Integer replicas;

		/**
		 * Window in which the task stream deduplicates a task id (the Nats-Msg-Id of an
		 * enqueue): the same id within it stores one task.
		 */
		private Duration duplicateWindow = Duration.ofMinutes(2);

		/**
		 * How many delivered tasks a worker holds beyond its busy handlers, kept alive
		 * with in-progress heartbeats and given back at stop, so a handler that finishes
		 * finds the next task waiting; 0 pulls only for idle handlers. Higher priorities
		 * wait behind at most this many tasks of a lower one.
		 */
		private int prefetch = 32;

		/**
		 * Settings per queue, by queue name.
		 */
		private final Map<String, Queue> queues = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getStream() {
			return this.stream;
		}

		public void setStream(String stream) {
			this.stream = stream;
		}

		public Duration getAckWait() {
			return this.ackWait;
		}

		public void setAckWait(Duration ackWait) {
			this.ackWait = ackWait;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getResultTtl() {
			return this.resultTtl;
		}

		public void setResultTtl(Duration resultTtl) {
			this.resultTtl = resultTtl;
		}

		public long getMaxMsgs() {
			return this.maxMsgs;
		}

		public void setMaxMsgs(long maxMsgs) {
			this.maxMsgs = maxMsgs;
		}

		public long getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(long maxBytes) {
			this.maxBytes = maxBytes;
		}

		public @Nullable Integer getReplicas() {
			return this.replicas;
		}

		public void setReplicas(@Nullable Integer replicas) {
			this.replicas = replicas;
		}

		public Duration getDuplicateWindow() {
			return this.duplicateWindow;
		}

		public void setDuplicateWindow(Duration duplicateWindow) {
			this.duplicateWindow = duplicateWindow;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public Map<String, Queue> getQueues() {
			return this.queues;
		}

		/**
		 * The settings of one queue.
		 */
		public static class Queue {

			/**
			 * What the queue's tasks record: "full" (every state, progress and the
			 * result; attempts counted before each run), "results" (only the end and the
			 * result) or "none" (fire-and-forget).
			 */
			private TaskTracking tracking = TaskTracking.FULL;

			/**
			 * How many delivered tasks a worker of this queue holds beyond its busy
			 * handlers; none for nats.task-queue.prefetch.
			 */
			private @Nullable Integer prefetch;

			public TaskTracking getTracking() {
				return this.tracking;
			}

			public void setTracking(TaskTracking tracking) {
				this.tracking = tracking;
			}

			public @Nullable Integer getPrefetch() {
				return this.prefetch;
			}

			public void setPrefetch(@Nullable Integer prefetch) {
				this.prefetch = prefetch;
			}

		}

		/**
		 * Retries of failed tasks: exponential back-off with jitter.
		 */
		public static class Retry {

			/**
			 * Runs of a task before it goes to dead letters.
			 */
			private int maxAttempts = 5;

			/**
			 * Delay after the first failure.
			 */
			private Duration initialInterval = Duration.ofSeconds(1);

			/**
			 * Growth of each further delay.
			 */
			private double multiplier = 2.0;

			/**
			 * Longest delay between attempts.
			 */
			private Duration maxInterval = Duration.ofMinutes(5);

			/**
			 * Spread of each delay, a fraction (0.2 = up to 20% shorter or longer).
			 */
			private double jitter = 0.2;

			public int getMaxAttempts() {
				return this.maxAttempts;
			}

			public void setMaxAttempts(int maxAttempts) {
				this.maxAttempts = maxAttempts;
			}

			public Duration getInitialInterval() {
				return this.initialInterval;
			}

			public void setInitialInterval(Duration initialInterval) {
				this.initialInterval = initialInterval;
			}

			public double getMultiplier() {
				return this.multiplier;
			}

			public void setMultiplier(double multiplier) {
				this.multiplier = multiplier;
			}

			public Duration getMaxInterval() {
				return this.maxInterval;
			}

			public void setMaxInterval(Duration maxInterval) {
				this.maxInterval = maxInterval;
			}

			public double getJitter() {
				return this.jitter;
			}

			public void setJitter(double jitter) {
				this.jitter = jitter;
			}

		}

	}

	/**
	 * Key store settings ({@code KeyStoreTemplate}).
	 */
	public static class Keystore {

		/**
		 * Whether the key store (KeyStoreTemplate bean) is on.
		 */
		private boolean enabled = true;

		/**
		 * Where keys live: nats (a JetStream KV bucket), redis (the application's
		 * RedisConnectionFactory) or memory (this JVM only, for tests and development).
		 */
		private Backend backend = Backend.NATS;

		/**
		 * Bucket name: the NATS KV bucket, or in Redis the key prefix (the name in
		 * braces, one Redis Cluster slot). Letters, digits, '-' and '_'.
		 */
		private String bucket = "keystore";

		/**
		 * Namespace that isolates this application's keys from other applications sharing
		 * the bucket; defaults to nats.namespace.
		 */
		private @Nullable String namespace;

		/**
		 * Time to live of keys stored without one; none when unset.
		 */
		private @Nullable Duration defaultTtl;

		/**
		 * Format of values stored without one: json, text, binary or typed-json.
		 */
		private io.natsboot.keystore.KeyFormat format = io.natsboot.keystore.KeyFormat.JSON;

		private final Typed typed = new Typed();

		/**
		 * Values kept per key in the NATS KV bucket (1 to 64).
		 */
		private int history = 1;

		/**
		 * Replicas of the NATS KV bucket; none for nats.jetstream.replicas.
		 */
		private @Nullable Integer replicas;

		/**
		 * Storage of the NATS KV bucket: file or memory.
		 */
		private io.nats.client.api.StorageType storage = io.nats.client.api.StorageType.File;

		/**
		 * Largest value the NATS KV bucket accepts; the server's limit when unset.
		 */
		private @Nullable DataSize maxValueSize;

		/**
		 * How often expired keys are removed from the backend (NATS servers before 2.11,
		 * memory), and how often the Redis backend checks for lost change events. Reads
		 * never return an expired key, whatever this is.
		 */
		private Duration sweepInterval = Duration.ofSeconds(1);

		private final Cache cache = new Cache();

		private final CacheManager cacheManager = new CacheManager();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Backend getBackend() {
			return this.backend;
		}

		public void setBackend(Backend backend) {
			this.backend = backend;
		}

		public String getBucket() {
			return this.bucket;
		}

		public void setBucket(String bucket) {
			this.bucket = bucket;
		}

		public @Nullable String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(@Nullable String namespace) {
			this.namespace = namespace;
		}

		public @Nullable Duration getDefaultTtl() {
			return this.defaultTtl;
		}

		public void setDefaultTtl(@Nullable Duration defaultTtl) {
			this.defaultTtl = defaultTtl;
		}

		public io.natsboot.keystore.KeyFormat getFormat() {
			return this.format;
		}

		public void setFormat(io.natsboot.keystore.KeyFormat format) {
			this.format = format;
		}

		public Typed getTyped() {
			return this.typed;
		}

		public int getHistory() {
			return this.history;
		}

		public void setHistory(int history) {
			this.history = history;
		}

		public @Nullable Integer getReplicas() {
			return this.replicas;
		}

		public void setReplicas(@Nullable Integer replicas) {
			this.replicas = replicas;
		}

		public io.nats.client.api.StorageType getStorage() {
			return this.storage;
		}

		public void setStorage(io.nats.client.api.StorageType storage) {
			this.storage = storage;
		}

		public @Nullable DataSize getMaxValueSize() {
			return this.maxValueSize;
		}

		public void setMaxValueSize(@Nullable DataSize maxValueSize) {
			this.maxValueSize = maxValueSize;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

		public Cache getCache() {
			return this.cache;
		}

		public CacheManager getCacheManager() {
			return this.cacheManager;
		}

		/**
		 * Key store backends.
		 */
		public enum Backend {

			/** A NATS JetStream KV bucket. */
			NATS,

			/** Redis, through the application's RedisConnectionFactory. */
			REDIS,

			/** This JVM's memory. */
			MEMORY

		}

		/**
		 * Settings of the typed-json format.
		 */
		public static class Typed {

			/**
			 * Packages whose classes typed-json may write and read (sub-packages
			 * included); any other class is refused on write and on read.
			 */
			private List<String> allowedPackages = new ArrayList<>();

			public List<String> getAllowedPackages() {
				return this.allowedPackages;
			}

			public void setAllowedPackages(List<String> allowedPackages) {
				this.allowedPackages = allowedPackages;
			}

		}

		/**
		 * Settings of the local cache.
		 */
		public static class Cache {

			/**
			 * Whether reads are cached in this instance; the cache is kept coherent with
			 * other instances by the backend's watch.
			 */
			private boolean enabled = true;

			/**
			 * Most entries the cache holds.
			 */
			private long maxSize = 10_000;

			/**
			 * How long an entry stays cached at most; as long as it is valid when unset.
			 */
			private @Nullable Duration ttl;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public long getMaxSize() {
				return this.maxSize;
			}

			public void setMaxSize(long maxSize) {
				this.maxSize = maxSize;
			}

			public @Nullable Duration getTtl() {
				return this.ttl;
			}

			public void setTtl(@Nullable Duration ttl) {
				this.ttl = ttl;
			}

		}

		/**
		 * Settings of the Spring CacheManager backed by the key store.
		 */
		public static class CacheManager {

			/**
			 * Whether a CacheManager backed by the key store is configured, so
			 * that @Cacheable works across instances.
			 */
			private boolean enabled = false;

			/**
			 * Time to live of entries per cache name; caches not listed keep entries
			 * until evicted.
			 */
			private Map<String, Duration> timeToLive = new LinkedHashMap<>();

			/**
			 * Whether null return values are cached.
			 */
			private boolean allowNullValues = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public Map<String, Duration> getTimeToLive() {
				return this.timeToLive;
			}

			public void setTimeToLive(Map<String, Duration> timeToLive) {
				this.timeToLive = timeToLive;
			}

			public boolean isAllowNullValues() {
				return this.allowNullValues;
			}

			public void setAllowNullValues(boolean allowNullValues) {
				this.allowNullValues = allowNullValues;
			}

		}

	}

}
