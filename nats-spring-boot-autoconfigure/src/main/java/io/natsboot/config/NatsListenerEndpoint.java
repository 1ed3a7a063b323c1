package io.natsboot.config;

import java.time.Duration;

import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import io.natsboot.listener.adapter.NatsListenerInvoker;
import io.natsboot.listener.adapter.NatsListenerInvokerContext;
import org.jspecify.annotations.Nullable;

/**
 * A listener to run in a container: what to subscribe to and what to call for each
 * message.
 */
public interface NatsListenerEndpoint {

	/**
	 * The container's id in the {@link NatsListenerEndpointRegistry}.
	 * @return the id
	 */
	String getId();

	/**
	 * The subject, wildcards allowed, without namespace.
	 * @return the subject
	 */
	String getSubject();

	/**
	 * The queue group.
	 * @return the group, or null
	 */
	@Nullable String getQueue();

	/**
	 * Whether the subject gets the application's namespace.
	 * @return true to apply the namespace
	 */
	boolean isNamespaced();

	/**
	 * How many threads run the listener.
	 * @return the concurrency, or null for the factory's default
	 */
	@Nullable Integer getConcurrency();

	/**
	 * Whether the container starts with the application.
	 * @return the choice, or null for the factory's default
	 */
	@Nullable Boolean getAutoStartup();

	/**
	 * Unsubscribe after this many messages in all.
	 * @return the count, 0 for unlimited
	 */
	int getMaxMessages();

	/**
	 * How long the listener listens, once subscribed, before its container stops itself.
	 * @return the duration, or null to listen until stopped
	 */
	default @Nullable Duration getTimeout() {
		return null;
	}

	/**
	 * The error handler's bean name.
	 * @return the name, or null for the default handling
	 */
	@Nullable NatsListenerErrorHandler getErrorHandler();

	/**
	 * Creates what the container calls for each message.
	 * @param context what the invoker may need from the infrastructure
	 * @return the invoker
	 */
	NatsListenerInvoker createInvoker(NatsListenerInvokerContext context);

	/**
	 * What makes the endpoint a durable JetStream listener.
	 * @return the settings, or null for a core NATS subscription
	 */
	default @Nullable JetStreamListenerSettings getJetStream() {
		return null;
	}

}
