package io.natsboot.jetstream;

import io.natsboot.core.JetStreamMessage;

/**
 * Handles a message pulled by a {@link JetStreamPullWorker}. Returning normally means success (the
 * worker acknowledges unless the handler did); an exception means failure (retry or dead letter).
 */
@FunctionalInterface
public interface JetStreamMessageHandler {

	/**
	 * Handles one message.
	 * @param message the message, with its metadata and acknowledgement verbs
	 * @throws Exception when handling failed
	 */
	void handle(JetStreamMessage message) throws Exception;

	/**
	 * Called when a stopping worker releases a message whose handler is still running, just
	 * before the message is given back to the server (nak) for another worker.
	 * @param message the message being released
	 */
	default void released(JetStreamMessage message) {
	}

}
