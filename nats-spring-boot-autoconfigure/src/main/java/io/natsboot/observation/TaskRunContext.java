package io.natsboot.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.nats.client.Message;

/**
 * The context of one attempt to run a task. Its carrier is the task message, whose
 * headers hold the trace context of its enqueue, so every attempt is a child of that.
 */
public class TaskRunContext extends ReceiverContext<Message> {

	private final String queue;

	private final String type;

	private final String taskId;

	private final int attempt;

	private String outcome = "success";

	/**
	 * Creates the context of one attempt.
	 * @param queue the task's queue
	 * @param type its type
	 * @param taskId its id
	 * @param attempt the attempt, from 1
	 * @param message the task message
	 */
	public TaskRunContext(String queue, String type, String taskId, int attempt, Message message) {
		super(NatsMessageHeaders.GETTER, Kind.CONSUMER);
		this.queue = queue;
		this.type = type;
		this.taskId = taskId;
		this.attempt = attempt;
		setCarrier(message);
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
	 * The attempt.
	 * @return the attempt, from 1
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * How the attempt ended.
	 * @return {@code success}, {@code retry}, {@code dead}, {@code released} or
	 * {@code cancelled}
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Records how the attempt ended, before the observation stops.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
