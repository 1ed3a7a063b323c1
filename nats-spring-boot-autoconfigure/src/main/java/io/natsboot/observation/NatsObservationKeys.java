package io.natsboot.observation;

import io.micrometer.common.docs.KeyName;

/**
 * The keys natsboot's observations carry. The low-cardinality ones (tags of the timers
 * the observations make, span attributes) follow the OpenTelemetry messaging conventions
 * where there is one; each observation's documentation lists which it has. The
 * high-cardinality ones are per message and go to spans only.
 */
public enum NatsObservationKeys implements KeyName {

	/** Always {@code nats}. */
	MESSAGING_SYSTEM("messaging.system"),

	/**
	 * What was done: {@code publish}, {@code request}, {@code process}, {@code enqueue}
	 * or {@code run}.
	 */
	MESSAGING_OPERATION("messaging.operation"),

	/**
	 * Where: the subject template of a publish or request (see {@link SubjectTemplate}),
	 * the subject a listener subscribed to, or the subject of a task's queue, priority
	 * and type.
	 */
	DESTINATION_NAME("messaging.destination.name"),

	/** The listener's id. */
	LISTENER_ID("nats.listener.id"),

	/** The listener's queue group, or {@code none}. */
	QUEUE_GROUP("nats.queue.group"),

	/**
	 * The stream: the one a durable listener reads, or the one that stored a JetStream
	 * publish ({@code unknown} when the publish failed).
	 */
	STREAM("nats.stream"),

	/** The durable consumer a listener reads through. */
	CONSUMER("nats.consumer"),

	/** The task's queue. */
	TASK_QUEUE("nats.task.queue"),

	/** The task's type. */
	TASK_TYPE("nats.task.type"),

	/**
	 * How a task's attempt ended: {@code success}, {@code retry}, {@code dead},
	 * {@code released} (its worker stopped and gave it back) or {@code cancelled}.
	 */
	TASK_OUTCOME("nats.task.outcome"),

	/** The key store's bucket. */
	KEY_STORE_BUCKET("nats.keystore.bucket"),

	/** The key store operation, e.g. {@code get}, {@code store}, {@code listKeys}. */
	KEY_STORE_OPERATION("nats.keystore.operation"),

	/** The key store's backend: {@code nats}, {@code redis} or {@code memory}. */
	KEY_STORE_BACKEND("nats.keystore.backend"),

	/** High cardinality: the subject the message was sent to or came from. */
	SUBJECT("nats.subject"),

	/** High cardinality: the message's {@code Nats-Msg-Id}, when it has one. */
	MESSAGE_ID("messaging.message.id"),

	/** High cardinality: the message's sequence in its stream. */
	STREAM_SEQUENCE("nats.stream.sequence"),

	/** High cardinality: how many times the consumer has delivered the message. */
	DELIVERY_COUNT("nats.delivery.count"),

	/** High cardinality: the task's id. */
	TASK_ID("nats.task.id"),

	/** High cardinality: the attempt, from 1. */
	TASK_ATTEMPT("nats.task.attempt");

	private final String key;

	NatsObservationKeys(String key) {
		this.key = key;
	}

	@Override
	public String asString() {
		return this.key;
	}

}
