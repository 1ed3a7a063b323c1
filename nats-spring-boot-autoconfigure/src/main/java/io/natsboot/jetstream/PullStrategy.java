package io.natsboot.jetstream;

import java.time.Duration;

/**
 * Which of its consumers a {@link JetStreamPullWorker} pulls from in a round, and how
 * many messages each pull asks for. The worker grants a round as many messages as it has
 * free handler slots (the ack wait starts at delivery, so a pull never asks for more);
 * the strategy spends them through {@link Pulls}, on the pull thread. A worker of one
 * consumer uses {@link #singleConsumer()}; one that serves several consumers of a stream
 * gets a strategy that chooses among them.
 */
public interface PullStrategy {

	/**
	 * Pulls for one round.
	 * @param pulls the pulls the worker can make now
	 * @param slots how many messages the round may take, at least 1
	 * @throws InterruptedException when the worker is stopping
	 */
	void pull(Pulls pulls, int slots) throws InterruptedException;

	/**
	 * The strategy of a worker of one consumer: one pull for all free slots that waits up
	 * to the worker's max wait.
	 * @return the strategy
	 */
	static PullStrategy singleConsumer() {
		return SingleConsumerPullStrategy.INSTANCE;
	}

	/**
	 * The pulls a {@link PullStrategy} can make in a round; each hands the messages it
	 * gets to the worker's handlers before it returns. A pull never asks for more than
	 * the round's slots not yet taken.
	 */
	interface Pulls {

		/**
		 * How many consumers the worker serves.
		 * @return the number, consumers indexed from 0 in the worker's settings' order
		 */
		int consumers();

		/**
		 * How many messages this round took so far.
		 * @return the count
		 */
		int taken();

		/**
		 * How long a pull may wait for messages: the worker's max wait.
		 * @return the wait
		 */
		Duration maxWait();

		/**
		 * Pulls what a consumer has now, without waiting for more.
		 * @param consumer the consumer's index
		 * @param max the most messages to take
		 * @throws InterruptedException when the worker is stopping
		 */
		void pullNoWait(int consumer, int max) throws InterruptedException;

		/**
		 * Pulls from a consumer, waiting for messages until the wait ends or {@code max}
		 * came.
		 * @param consumer the consumer's index
		 * @param max the most messages to take
		 * @param wait how long the server keeps the pull open
		 * @throws InterruptedException when the worker is stopping
		 */
		void pullAndWait(int consumer, int max, Duration wait) throws InterruptedException;

	}

}
