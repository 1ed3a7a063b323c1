package io.natsboot.jetstream;

import java.util.concurrent.CompletionStage;

import io.natsboot.core.JetStreamMessage;

/**
 * A {@link JetStreamMessageHandler} that may finish a message after its handler thread is
 * free again: it runs the work and returns a stage that completes once the message is
 * settled (its outcome stored, its acknowledgement sent). Until then the
 * {@link JetStreamPullWorker} keeps the message in hand: it counts against the worker's
 * {@link PullWorkerSettings#inHandLimit() in-hand limit}, gets in-progress heartbeats,
 * and a stopping worker waits for it within the drain timeout. So the thread takes the
 * next message while the writes of the last are still on their way to the server.
 */
public interface DeferredCompletionHandler extends JetStreamMessageHandler {

	/**
	 * Handles one message, leaving what follows the work to the returned stage.
	 * @param message the message, with its metadata and acknowledgement verbs
	 * @return a stage completed once the message is settled; it never completes
	 * exceptionally for the message's own failure
	 * @throws Exception when handling failed before anything was deferred
	 */
	CompletionStage<?> handleDeferred(JetStreamMessage message) throws Exception;

	/**
	 * Handles one message and waits until it is settled: for callers that run messages
	 * one by one on their own thread.
	 * @param message the message
	 * @throws Exception when handling failed
	 */
	@Override
	default void handle(JetStreamMessage message) throws Exception {
		handleDeferred(message).toCompletableFuture().join();
	}

}
