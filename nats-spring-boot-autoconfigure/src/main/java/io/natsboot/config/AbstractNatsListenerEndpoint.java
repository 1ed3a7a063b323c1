package io.natsboot.config;

import java.time.Duration;

import io.natsboot.listener.adapter.NatsListenerErrorHandler;
import org.jspecify.annotations.Nullable;

/**
 * Base of listener endpoints: the subscription settings, each with a setter.
 */
public abstract class AbstractNatsListenerEndpoint implements NatsListenerEndpoint {

	private final String id;

	private final String subject;

	private @Nullable String queue;

	private boolean namespaced = true;

	private @Nullable Integer concurrency;

	private @Nullable Boolean autoStartup;

	private int maxMessages;

	private @Nullable Duration timeout;

	private @Nullable NatsListenerErrorHandler errorHandler;

	private @Nullable JetStreamListenerSettings jetStream;

	/**
	 * Creates an endpoint.
	 * @param id the container id
	 * @param subject the subject, wildcards allowed
	 */
	protected AbstractNatsListenerEndpoint(String id, String subject) {
		this.id = id;
		this.subject = subject;
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
	public @Nullable String getQueue() {
		return this.queue;
	}

	/**
	 * Sets the queue group.
	 * @param queue the group
	 */
	public void setQueue(@Nullable String queue) {
		this.queue = queue;
	}

	@Override
	public boolean isNamespaced() {
		return this.namespaced;
	}

	/**
	 * Sets whether the subject gets the namespace.
	 * @param namespaced whether to apply it
	 */
	public void setNamespaced(boolean namespaced) {
		this.namespaced = namespaced;
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Sets how many threads run the listener.
	 * @param concurrency the concurrency
	 */
	public void setConcurrency(@Nullable Integer concurrency) {
		this.concurrency = concurrency;
	}

	@Override
	public @Nullable Boolean getAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Sets whether the container starts with the application.
	 * @param autoStartup the choice
	 */
	public void setAutoStartup(@Nullable Boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public int getMaxMessages() {
		return this.maxMessages;
	}

	/**
	 * Sets after how many messages to unsubscribe.
	 * @param maxMessages the count, 0 for unlimited
	 */
	public void setMaxMessages(int maxMessages) {
		this.maxMessages = maxMessages;
	}

	@Override
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Sets how long the listener listens before its container stops itself.
	 * @param timeout the duration, or null to listen until stopped
	 */
	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public @Nullable NatsListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * Sets the error handler.
	 * @param errorHandler the handler
	 */
	public void setErrorHandler(@Nullable NatsListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	@Override
	public @Nullable JetStreamListenerSettings getJetStream() {
		return this.jetStream;
	}

	/**
	 * Makes the endpoint a durable JetStream listener.
	 * @param jetStream the stream, durable consumer and delivery settings
	 */
	public void setJetStream(@Nullable JetStreamListenerSettings jetStream) {
		this.jetStream = jetStream;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.id + " on " + this.subject + "]";
	}

}
