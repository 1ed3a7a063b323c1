package io.natsboot.config;

import java.time.Duration;

import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMetricsRecorder;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsSystemSubjects;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.JetStreamPullWorker;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.jetstream.PullWorkerSettings;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.listener.NatsListenerMetrics;
import io.natsboot.listener.SubscriptionListenerContainer;
import io.natsboot.listener.adapter.ListenerFailures;
import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;
import io.natsboot.observation.NatsListenerObservationConvention;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link NatsListenerContainer}s for endpoints (a
 * {@link JetStreamListenerContainer} for durable ones, a
 * {@link SubscriptionListenerContainer} for the others), with defaults for what an
 * endpoint leaves open (concurrency, auto-startup) and the template whose connection,
 * namespace, converter and metrics recorder (for {@code nats.messages.received}) the
 * containers use. Auto-configured as {@code natsListenerContainerFactory}; build a second
 * one with the same defaults through {@code NatsListenerContainerFactoryConfigurer}.
 */
public class NatsListenerContainerFactory {

	/** The stream that keeps durable listeners' dead letters by default. */
	public static final String DEAD_LETTER_STREAM = "DEAD_LETTERS";

	/**
	 * The token of durable listeners' default dead-letter subjects after the prefix of
	 * natsboot's own subjects: {@code natsboot.dead-letters.<stream>.<durable>}.
	 */
	public static final String DEAD_LETTER_TOKEN = "dead-letters";

	private final NatsTemplate template;

	private int concurrency = 1;

	private boolean autoStartup = true;

	private Duration drainTimeout = Duration.ofSeconds(10);

	private NatsListenerMetrics metrics = NatsListenerMetrics.NONE;

	private PullWorkerMetrics pullWorkerMetrics = PullWorkerMetrics.NONE;

	private ObservationSettings<NatsListenerObservationConvention> observations = ObservationSettings.off();

	private @Nullable NatsConnectionReadiness readiness;

	private @Nullable DeadLetterPublishingRecoverer deadLetterRecoverer;

	private int replicas = 1;

	private Duration failoverTimeout = Duration.ZERO;

	private NatsSystemSubjects systemSubjects = NatsSystemSubjects.defaults();

	/**
	 * Creates a factory.
	 * @param template the template whose connection, namespace and converter containers
	 * use
	 */
	public NatsListenerContainerFactory(NatsTemplate template) {
		this.template = template;
	}

	/**
	 * Sets the default concurrency.
	 * @param concurrency threads per listener, at least 1
	 */
	public void setConcurrency(int concurrency) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("Listener concurrency must be at least 1, was " + concurrency);
		}
		this.concurrency = concurrency;
	}

	/**
	 * Sets whether containers start with the application by default.
	 * @param autoStartup the default
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Sets how long a stopping container may drain.
	 * @param drainTimeout the timeout
	 */
	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = drainTimeout;
	}

	/**
	 * Sets where listener metrics go.
	 * @param metrics the recorder
	 */
	public void setListenerMetrics(NatsListenerMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * Sets how listeners observe each message they process (and continue the trace its
	 * headers carry).
	 * @param observations the registry and convention of the observations
	 */
	public void setObservations(ObservationSettings<NatsListenerObservationConvention> observations) {
		this.observations = observations;
	}

	/**
	 * Sets where durable listeners' consumer metrics go (lag, redeliveries, dead
	 * letters).
	 * @param metrics the recorder
	 */
	public void setPullWorkerMetrics(PullWorkerMetrics metrics) {
		this.pullWorkerMetrics = metrics;
	}

	/**
	 * Sets what containers wait for before they subscribe: the connection's setup
	 * callbacks. Without it they subscribe as soon as the connection is established.
	 * @param readiness the readiness tracker
	 */
	public void setConnectionReadiness(@Nullable NatsConnectionReadiness readiness) {
		this.readiness = readiness;
	}

	/**
	 * Sets the replicas of the dead-letter stream durable listeners create
	 * ({@code nats.jetstream.replicas}).
	 * @param replicas 1 to 5, at most the cluster's size
	 */
	public void setDeadLetterReplicas(int replicas) {
		this.replicas = replicas;
	}

	/**
	 * Sets how long dead letters are retried through a leader election
	 * ({@code nats.jetstream.failover-timeout}; at most a few seconds, the original is
	 * kept meanwhile).
	 * @param failoverTimeout the timeout; zero for no retry
	 */
	public void setFailoverTimeout(Duration failoverTimeout) {
		this.failoverTimeout = failoverTimeout;
	}

	/**
	 * Sets the prefix of natsboot's own subjects, which durable listeners' default
	 * dead-letter subjects start with ({@code nats.system-subject-prefix}).
	 * @param systemSubjects the prefix
	 */
	public void setSystemSubjects(NatsSystemSubjects systemSubjects) {
		this.systemSubjects = systemSubjects;
	}

	/**
	 * Creates a container for an endpoint.
	 * @param endpoint the endpoint
	 * @param context what the endpoint builds its invoker with
	 * @return the container, not started
	 */
	public NatsListenerContainer createContainer(NatsListenerEndpoint endpoint, NatsListenerInvokerContext context) {
		NatsSubjectResolver subjects = endpoint.isNamespaced() ? this.template.getSubjectResolver()
				: NatsSubjectResolver.none();
		JetStreamListenerSettings jetStream = endpoint.getJetStream();
		if (jetStream != null) {
			return createJetStreamContainer(endpoint, jetStream, subjects, context);
		}
		SubscriptionListenerContainer.Settings settings = new SubscriptionListenerContainer.Settings(
				this.template.getConnection(), subjects, invoker(endpoint, context),
				this.template.getMessageConverter(), this.template.withoutNamespace());
		settings.id = endpoint.getId();
		settings.subject = endpoint.getSubject();
		settings.queue = endpoint.getQueue();
		settings.concurrency = concurrency(endpoint);
		settings.autoStartup = autoStartup(endpoint);
		settings.maxMessages = endpoint.getMaxMessages();
		settings.timeout = endpoint.getTimeout();
		settings.errorHandler = endpoint.getErrorHandler();
		settings.metrics = this.metrics;
		settings.observations = this.observations;
		settings.drainTimeout = this.drainTimeout;
		settings.readiness = this.readiness;
		settings.translator = this.template.getExceptionTranslator();
		return new SubscriptionListenerContainer(settings);
	}

	private JetStreamListenerContainer createJetStreamContainer(NatsListenerEndpoint endpoint,
			JetStreamListenerSettings jetStream, NatsSubjectResolver subjects, NatsListenerInvokerContext context) {
		if (endpoint.getTimeout() != null) {
			throw new IllegalArgumentException(
					"Listener '" + endpoint.getId() + "' is durable: a timeout does not apply to it");
		}
		String stream = subjects.forName(jetStream.getStream());
		String filter = subjects.forSubscribe(endpoint.getSubject());
		ConsumerConfiguration.Builder consumer = ConsumerConfiguration.builder()
			.durable(subjects.forName(jetStream.getDurable()))
			.filterSubject(filter)
			.ackPolicy(AckPolicy.Explicit)
			.ackWait(jetStream.getAckWait())
			.maxDeliver(jetStream.getMaxDeliver())
			.deliverPolicy(jetStream.getDeliverPolicy());
		if (jetStream.getStartSequence() != null) {
			consumer.startSequence(jetStream.getStartSequence());
		}
		if (jetStream.getStartTime() != null) {
			consumer.startTime(jetStream.getStartTime());
		}
		if (jetStream.getMaxAckPending() != null) {
			consumer.maxAckPending(jetStream.getMaxAckPending());
		}
		PullWorkerSettings.Builder settings = PullWorkerSettings.builder(endpoint.getId(), stream, consumer.build())
			.concurrency(concurrency(endpoint))
			.batchSize(jetStream.getBatchSize())
			.drainTimeout(this.drainTimeout)
			.nonRetryable(ListenerFailures::isConversionFailure)
			.autoAck(!jetStream.isManualAck());
		if (jetStream.getBackOff() != null) {
			settings.retryBackOff(jetStream.getBackOff());
		}
		if (jetStream.getDeadLetterSubject() != null) {
			settings.deadLetter(subjects.forPublish(jetStream.getDeadLetterSubject()), null);
		}
		else {
			settings.deadLetter(
					subjects.forPublish(
							deadLetterSubject(this.systemSubjects, jetStream.getStream(), jetStream.getDurable())),
					deadLetterStream(subjects, this.systemSubjects, this.replicas));
		}
		PullWorkerSettings workerSettings = settings.build();
		DeadLetterPublishingRecoverer recoverer = deadLetterRecoverer();
		JetStreamListenerContainer container = new JetStreamListenerContainer(endpoint.getId(), filter,
				autoStartup(endpoint), invoker(endpoint, context), endpoint.getErrorHandler(), this.metrics,
				this.pullWorkerMetrics,
				(handler) -> new JetStreamPullWorker(workerSettings, this.template.getConnection(),
						this.template.getJetStreamOptions(), subjects, this.template.getMessageConverter(), handler,
						recoverer, this.pullWorkerMetrics, this.readiness, this.template.getExceptionTranslator()));
		container.setObservations(this.observations);
		return container;
	}

	/**
	 * The endpoint's invoker, counting each message it gets in the template's
	 * {@code received} metric (source {@code listener}), as the template's own
	 * subscriptions count theirs: one place for both kinds of container, before the
	 * payload is converted, so unreadable messages count too.
	 */
	private NatsListenerInvoker invoker(NatsListenerEndpoint endpoint, NatsListenerInvokerContext context) {
		NatsListenerInvoker invoker = endpoint.createInvoker(context);
		NatsMetricsRecorder recorder = this.template.getMetricsRecorder();
		return (recorder != NatsMetricsRecorder.NONE) ? new CountingInvoker(invoker, recorder) : invoker;
	}

	/**
	 * A durable listener's default dead-letter subject, without namespace.
	 * @param system the prefix of natsboot's own subjects
	 * @param stream the listener's stream, without namespace
	 * @param durable the listener's durable name, without namespace
	 * @return {@code natsboot.dead-letters.<stream>.<durable>}
	 */
	public static String deadLetterSubject(NatsSystemSubjects system, String stream, String durable) {
		return system.subject(DEAD_LETTER_TOKEN + "." + stream + "." + durable);
	}

	/**
	 * The subjects of the stream that keeps durable listeners' dead letters, without
	 * namespace.
	 * @param system the prefix of natsboot's own subjects
	 * @return {@code natsboot.dead-letters.>}
	 */
	public static String deadLetterStreamSubjects(NatsSystemSubjects system) {
		return system.subject(DEAD_LETTER_TOKEN + ".>");
	}

	/**
	 * The stream that keeps durable listeners' dead letters unless they name a subject of
	 * their own: {@value #DEAD_LETTER_STREAM} (namespaced), on
	 * {@code natsboot.dead-letters.>}, file storage, limits retention,
	 * {@code nats.jetstream.replicas}; created when missing, and then only given more
	 * replicas or its missing subjects.
	 * @param subjects the namespace to apply
	 * @param system the prefix of natsboot's own subjects
	 * @param replicas the replicas
	 * @return the stream's configuration
	 */
	static StreamConfiguration deadLetterStream(NatsSubjectResolver subjects, NatsSystemSubjects system, int replicas) {
		return StreamConfiguration.builder()
			.name(subjects.forName(DEAD_LETTER_STREAM))
			.subjects(subjects.forSubscribe(deadLetterStreamSubjects(system)))
			.storageType(StorageType.File)
			.retentionPolicy(RetentionPolicy.Limits)
			.replicas(replicas)
			.build();
	}

	private synchronized DeadLetterPublishingRecoverer deadLetterRecoverer() {
		if (this.deadLetterRecoverer == null) {
			this.deadLetterRecoverer = new DeadLetterPublishingRecoverer(this.template.getConnection(),
					this.template.getJetStreamOptions(),
					DeadLetterPublishingRecoverer.retryWithin(this.failoverTimeout));
		}
		return this.deadLetterRecoverer;
	}

	private int concurrency(NatsListenerEndpoint endpoint) {
		Integer endpointConcurrency = endpoint.getConcurrency();
		int resolved = (endpointConcurrency != null) ? endpointConcurrency : this.concurrency;
		if (resolved < 1) {
			throw new IllegalArgumentException(
					"Listener '" + endpoint.getId() + "' concurrency must be at least 1, was " + resolved);
		}
		return resolved;
	}

	private boolean autoStartup(NatsListenerEndpoint endpoint) {
		Boolean endpointAutoStartup = endpoint.getAutoStartup();
		return (endpointAutoStartup != null) ? endpointAutoStartup : this.autoStartup;
	}

	/**
	 * Counts the messages a listener receives, then hands them on.
	 */
	private static final class CountingInvoker implements NatsListenerInvoker {

		private final NatsListenerInvoker delegate;

		private final NatsMetricsRecorder recorder;

		CountingInvoker(NatsListenerInvoker delegate, NatsMetricsRecorder recorder) {
			this.delegate = delegate;
			this.recorder = recorder;
		}

		@Override
		public @Nullable Object invoke(NatsMessage message) throws Exception {
			this.recorder.received(message.originalSubject(), NatsMetricsRecorder.LISTENER);
			return this.delegate.invoke(message);
		}

		@Override
		public @Nullable Object invoke(JetStreamMessage message) throws Exception {
			this.recorder.received(message.message().originalSubject(), NatsMetricsRecorder.LISTENER);
			return this.delegate.invoke(message);
		}

	}

}
