package io.natsboot.listener;

import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

/**
 * What a listener container calls for each message: the listener method, or the function of a
 * {@link SimpleNatsListenerEndpoint}.
 */
@FunctionalInterface
public interface NatsListenerInvoker {

	/**
	 * Handles a message.
	 * @param message the message
	 * @return the reply (a value, or a {@code CompletableFuture} of one), or null for none
	 * @throws Exception when handling fails
	 */
	@Nullable Object invoke(NatsMessage message) throws Exception;

}
