package io.natsboot.core;

import java.util.List;

/**
 * The outcome of {@link NatsOperations#publishBatch}: how many messages were published,
 * and which failed and why. A failing message does not stop the batch.
 *
 * @param published the number of messages handed to the connection
 * @param failures the messages that could not be published, in batch order
 */
public record PublishBatchResult(int published, List<Failure> failures) {

	/**
	 * Whether every message was published.
	 * @return true without failures
	 */
	public boolean isComplete() {
		return this.failures.isEmpty();
	}

	/**
	 * A message of the batch that could not be published.
	 *
	 * @param index its position in the batch
	 * @param subject its subject
	 * @param exception why it failed
	 */
	public record Failure(int index, String subject, RuntimeException exception) {
	}

}
