package io.natsboot.core;

/**
 * Names of the message headers natsboot reads and writes, in one place (the counterpart
 * of Spring for Apache Kafka's {@code KafkaHeaders}). Feature-specific headers stay with
 * their feature: {@code Task-*} in the task queue's wire format, {@code KS-*} in the key
 * store's, {@code Dead-Letter-*} with the dead-letter recoverer.
 */
public final class NatsHeaders {

	/**
	 * The payload's media type, e.g. {@code application/json}; chooses the converter on
	 * read.
	 */
	public static final String CONTENT_TYPE = "Content-Type";

	/**
	 * A service's error message in a reply, as the NATS micro-services protocol sends it.
	 */
	public static final String SERVICE_ERROR = "Nats-Service-Error";

	/**
	 * A service's error code in a reply: 400 for an unreadable request, 500 for a failed
	 * handler.
	 */
	public static final String SERVICE_ERROR_CODE = "Nats-Service-Error-Code";

	private NatsHeaders() {
	}

}
