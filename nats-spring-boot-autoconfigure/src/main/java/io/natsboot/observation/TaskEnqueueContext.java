package io.natsboot.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The context of a task being enqueued, until its stream stored it. Its carrier takes the
 * trace context into the task message's headers, where every attempt to run it finds it.
 */
public class TaskEnqueueContext extends SenderContext<NatsOutgoingHeaders> {

	private final String queue;

	private final String type;

	private final String taskId;

	private final String subject;

	/**
	 * Creates the context of one task.
	 * @param queue its queue
	 * @param type its type
	 * @param taskId its id
	 * @param subject the full subject it is published to
	 * @param headers its headers, which the trace context is written into
	 */
	public TaskEnqueueContext(String queue, String type, String taskId, String subject, Headers headers) {
		super(NatsOutgoingHeaders.SETTER, Kind.PRODUCER);
		this.queue = queue;
		this.type = type;
		this.taskId = taskId;
		this.subject = subject;
		setCarrier(NatsOutgoingHeaders.into(headers));
	}

	/**
	 * The task's queue.
	 * @return the queue
	 */
	public String getQueue() {
		return this.queue;
	}

	/**
	 * The task's type.
	 * @return the type
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * The task's id.
	 * @return the id
	 */
	public String getTaskId() {
		return this.taskId;
	}

	/**
	 * The full subject the task is published to.
	 * @return the subject
	 */
	public String getSubject() {
		return this.subject;
	}

	/**
	 * The headers to send, with the trace context the propagator wrote.
	 * @return the headers, or null for none
	 */
	public @Nullable Headers getHeaders() {
		NatsOutgoingHeaders carrier = getCarrier();
		return (carrier != null) ? carrier.headers() : null;
	}

}
