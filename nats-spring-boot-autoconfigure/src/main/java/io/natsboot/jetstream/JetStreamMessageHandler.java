package io.natsboot.jetstream;

import io.natsboot.core.JetStreamMessage;

/**
 * Handles a message pulled by a {@link JetStreamPullWorker}. Returning normally means
 * success (the worker acknowledges unless the handler did); an exception means failure
 * (retry or dead letter). A handler that also implements {@link ReleaseListener} is told
 * of messages a stopping worker gives back while their handler still runs.
 */
@FunctionalInterface
public interface JetStreamMessageHandler {

	/**
	 * Handles one message.
	 * @param message the message, with its metadata and acknowledgement verbs
	 * @throws Exception when handling failed
	 */
	void handle(JetStreamMessage message) throws Exception;

}
