package io.natsboot.listener.adapter;

import io.natsboot.core.NatsException;

/**
 * Wraps a failure of a listener (its method, or the conversion of its arguments), naming
 * the listener and the subject.
 */
public class NatsListenerExecutionFailedException extends NatsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param listenerId the listener's container id
	 * @param subject the subject of the message
	 * @param cause the failure
	 */
	public NatsListenerExecutionFailedException(String listenerId, String subject, Throwable cause) {
		super("Listener '" + listenerId + "' failed on a message from '" + subject + "': " + cause.getMessage(), cause);
	}

}
