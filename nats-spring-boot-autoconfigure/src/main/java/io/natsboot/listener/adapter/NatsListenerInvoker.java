package io.natsboot.listener.adapter;

import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import org.jspecify.annotations.Nullable;

/**
 * What a listener container calls for each message: the listener method, or the function
 * of a {@link io.natsboot.config.SimpleNatsListenerEndpoint}.
 */
@FunctionalInterface
public interface NatsListenerInvoker {

	/**
	 * Handles a message.
	 * @param message the message
	 * @return the reply (a value, or a {@code CompletableFuture} of one), or null for
	 * none
	 * @throws Exception when handling fails
	 */
	@Nullable Object invoke(NatsMessage message) throws Exception;

	/**
	 * Handles a message of a durable listener; arguments may take its metadata and
	 * acknowledgement. The default hands the plain message to
	 * {@link #invoke(NatsMessage)}.
	 * @param message the JetStream message
	 * @return the result (ignored: JetStream messages have no reply subject), or null
	 * @throws Exception when handling fails
	 */
	default @Nullable Object invoke(JetStreamMessage message) throws Exception {
		return invoke(message.message());
	}

}
