package io.natsboot.listener;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.Observation;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsMessage;
import io.natsboot.jetstream.JetStreamPullWorker;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import io.natsboot.listener.adapter.NatsListenerExecutionFailedException;
import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.observation.DefaultNatsListenerObservationConvention;
import io.natsboot.observation.NatsListenerObservation;
import io.natsboot.observation.NatsListenerObservationConvention;
import io.natsboot.observation.NatsProcessContext;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Runs a durable listener: a {@link JetStreamPullWorker} on the listener's stream and
 * durable consumer, calling the listener for each message. The message is acknowledged
 * when the method returns (or its {@code CompletableFuture} completes); a failure goes to
 * the error handler when there is one (handled means acknowledged), else the worker
 * retries it with the back-off and, after the max deliveries, moves it to dead letters.
 * Return values are ignored: JetStream messages have no reply subject.
 */
public class JetStreamListenerContainer implements NatsListenerContainer {

	private static final LogAccessor logger = new LogAccessor(JetStreamListenerContainer.class);

	private final String id;

	private final String subject;

	private final boolean autoStartup;

	private final NatsListenerInvoker invoker;

	private final @Nullable NatsListenerErrorHandler errorHandler;

	private final NatsListenerMetrics metrics;

	private final PullWorkerMetrics consumerMetrics;

	private final JetStreamPullWorker worker;

	private volatile ObservationSettings<NatsListenerObservationConvention> observations = ObservationSettings.off();

	/**
	 * Creates a container; {@link io.natsboot.config.NatsListenerContainerFactory} does,
	 * for durable endpoints.
	 * @param id the listener's id
	 * @param subject the consumer's filter subject, with the namespace
	 * @param autoStartup whether the registry starts it with the application
	 * @param invoker calls the listener
	 * @param errorHandler handles failures, or null to retry and dead-letter them
	 * @param metrics where listener metrics go
	 * @param consumerMetrics where the pull worker's consumer metrics go
	 * @param workerFactory creates the pull worker around the container's handler
	 */
	public JetStreamListenerContainer(String id, String subject, boolean autoStartup, NatsListenerInvoker invoker,
			@Nullable NatsListenerErrorHandler errorHandler, NatsListenerMetrics metrics,
			PullWorkerMetrics consumerMetrics, WorkerFactory workerFactory) {
		this.id = id;
		this.subject = subject;
		this.autoStartup = autoStartup;
		this.invoker = invoker;
		this.errorHandler = errorHandler;
		this.metrics = metrics;
		this.consumerMetrics = consumerMetrics;
		this.worker = workerFactory.create(this::handle);
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getSubject() {
		return this.subject;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public boolean isRunning() {
		return this.worker.isRunning();
	}

	@Override
	public boolean isSubscribed() {
		return this.worker.isConsuming();
	}

	@Override
	public void start() {
		this.worker.start();
		PullWorkerStatus initial = this.worker.status();
		this.consumerMetrics.consumerStarted(this.id, () -> this.worker.status().pending(),
				() -> this.worker.status().ackPending(), () -> this.worker.status().redelivered());
		logger.debug(() -> "Durable listener '" + this.id + "' started on stream '" + initial.stream() + "', consumer '"
				+ initial.consumer() + "'");
	}

	@Override
	public void stop() {
		this.worker.stop();
	}

	/**
	 * What the listener's worker is doing: consumer, lag, failures, health.
	 * @return the status
	 */
	public PullWorkerStatus status() {
		return this.worker.status();
	}

	/**
	 * The worker that pulls for this listener.
	 * @return the worker
	 */
	public JetStreamPullWorker getWorker() {
		return this.worker;
	}

	/**
	 * Observes each delivery, redeliveries included, when set before the container
	 * starts.
	 * @param observations the registry and convention of the observations
	 */
	public void setObservations(ObservationSettings<NatsListenerObservationConvention> observations) {
		this.observations = observations;
	}

	private void handle(JetStreamMessage message) throws Exception {
		ObservationSettings<NatsListenerObservationConvention> observed = this.observations;
		if (!observed.isOn()) {
			handle(message, Observation.NOOP);
			return;
		}
		NatsProcessContext context = NatsProcessContext.durable(this.id, this.subject, message.stream(),
				message.consumer(), message.nativeMessage(), message.streamSequence(), message.deliveredCount());
		Observation observation = NatsListenerObservation.JETSTREAM_PROCESS.start(observed.convention(),
				DefaultNatsListenerObservationConvention.INSTANCE, () -> context, observed.registry());
		try (Observation.Scope scope = observation.openScope()) {
			handle(message, observation);
		}
		finally {
			observation.stop();
		}
	}

	private void handle(JetStreamMessage message, Observation observation) throws Exception {
		NatsMessage natsMessage = message.message();
		long start = System.nanoTime();
		try {
			Object result = this.invoker.invoke(message);
			if (result instanceof CompletableFuture<?> future) {
				future.get(); // acknowledge only once the work is done
			}
			this.metrics.listenerInvoked(this.id, natsMessage.originalSubject(), System.nanoTime() - start, true);
		}
		catch (InterruptedException ex) {
			// the worker is stopping and has released the message: not a failure of the
			// listener
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (Throwable ex) {
			this.metrics.listenerInvoked(this.id, natsMessage.originalSubject(), System.nanoTime() - start, false);
			Throwable cause = NatsFailures.unwrap(NatsFailures.futureCause(ex));
			observation.error(cause);
			if (this.errorHandler == null) {
				throw (cause instanceof Exception exception) ? exception : new UndeclaredThrowableException(cause);
			}
			// what the error handler returns normally counts as handled; what it throws,
			// as a failure
			this.errorHandler.handleError(natsMessage,
					new NatsListenerExecutionFailedException(this.id, natsMessage.subject(), cause));
		}
	}

	@Override
	public String toString() {
		return "JetStreamListenerContainer[" + this.id + " on " + this.subject + "]";
	}

	/**
	 * Creates the worker once the container's handler exists.
	 */
	@FunctionalInterface
	public interface WorkerFactory {

		/**
		 * Creates the worker.
		 * @param handler what the worker calls for each message
		 * @return the worker, not started
		 */
		JetStreamPullWorker create(io.natsboot.jetstream.JetStreamMessageHandler handler);

	}

}
