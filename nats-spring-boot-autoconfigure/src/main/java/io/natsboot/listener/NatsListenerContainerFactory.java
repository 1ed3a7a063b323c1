package io.natsboot.listener;

import java.time.Duration;

import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsMetricsRecorder;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link NatsListenerContainer}s for endpoints, with defaults for what an endpoint leaves
 * open (concurrency, auto-startup) and the template whose connection, namespace and converter the
 * containers use. Auto-configured as {@code natsListenerContainerFactory}; build a second one with
 * the same defaults through {@code NatsListenerContainerFactoryConfigurer}.
 */
public class NatsListenerContainerFactory {

	private final NatsTemplate template;

	private int concurrency = 1;

	private boolean autoStartup = true;

	private Duration drainTimeout = Duration.ofSeconds(10);

	private NatsMetricsRecorder metrics = NatsMetricsRecorder.NONE;

	private @Nullable NatsConnectionReadiness readiness;

	/**
	 * Creates a factory.
	 * @param template the template whose connection, namespace and converter containers use
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
	public void setMetricsRecorder(NatsMetricsRecorder metrics) {
		this.metrics = metrics;
	}

	/**
	 * Sets what containers wait for before they subscribe: the connection's setup callbacks.
	 * Without it they subscribe as soon as the connection is established.
	 * @param readiness the readiness tracker
	 */
	public void setConnectionReadiness(@Nullable NatsConnectionReadiness readiness) {
		this.readiness = readiness;
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
		NatsListenerContainer.Settings settings = new NatsListenerContainer.Settings(this.template.getConnection(),
				subjects, endpoint.createInvoker(context), this.template.getMessageConverter(),
				this.template.withoutNamespace());
		settings.id = endpoint.getId();
		settings.subject = endpoint.getSubject();
		settings.queue = endpoint.getQueue();
		Integer endpointConcurrency = endpoint.getConcurrency();
		settings.concurrency = (endpointConcurrency != null) ? endpointConcurrency : this.concurrency;
		if (settings.concurrency < 1) {
			throw new IllegalArgumentException(
					"Listener '" + endpoint.getId() + "' concurrency must be at least 1, was " + settings.concurrency);
		}
		Boolean endpointAutoStartup = endpoint.getAutoStartup();
		settings.autoStartup = (endpointAutoStartup != null) ? endpointAutoStartup : this.autoStartup;
		settings.maxMessages = endpoint.getMaxMessages();
		settings.errorHandler = endpoint.getErrorHandler();
		settings.metrics = this.metrics;
		settings.drainTimeout = this.drainTimeout;
		settings.readiness = this.readiness;
		return new NatsListenerContainer(settings);
	}

}
