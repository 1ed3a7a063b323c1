package io.natsboot.core;

import java.time.Duration;

/**
 * Hands the acknowledgement of a JetStream message to the code that handles it. A durable
 * {@code @NatsListener} method that declares a parameter of this type acknowledges itself
 * (manual mode); without one, the container acknowledges when the method returns and naks
 * when it throws. Only the first of {@link #ack()}, {@link #nak()},
 * {@link #nakWithDelay(Duration)} and {@link #term()} counts; {@link #inProgress()} may
 * be sent any number of times before it.
 */
public interface Acknowledgment {

	/**
	 * Acknowledges the message: done, never redelivered.
	 */
	void ack();

	/**
	 * Negatively acknowledges: redeliver now.
	 */
	void nak();

	/**
	 * Negatively acknowledges: redeliver after a delay.
	 * @param delay the delay
	 */
	void nakWithDelay(Duration delay);

	/**
	 * Terminates the message: never redelivered, not processed.
	 */
	void term();

	/**
	 * Tells the server the message is still being worked on, restarting its ack wait.
	 */
	void inProgress();

	/**
	 * Whether the message was acknowledged, negatively acknowledged or terminated.
	 * @return true once one of those was sent
	 */
	boolean isAcknowledged();

}
