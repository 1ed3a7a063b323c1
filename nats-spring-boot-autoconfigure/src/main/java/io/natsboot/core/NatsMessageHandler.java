package io.natsboot.core;

/**
 * Handles messages of a {@link NatsOperations#subscribe subscription}. An exception it
 * throws is logged with the subject and never ends the subscription.
 */
@FunctionalInterface
public interface NatsMessageHandler {

	/**
	 * Handles one message.
	 * @param message the message
	 * @throws Exception when handling fails
	 */
	void onMessage(NatsMessage message) throws Exception;

}
