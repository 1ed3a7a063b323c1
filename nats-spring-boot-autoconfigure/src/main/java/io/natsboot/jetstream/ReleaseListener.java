package io.natsboot.jetstream;

import io.natsboot.core.JetStreamMessage;

/**
 * Told when a stopping {@link JetStreamPullWorker} gives back a message whose handler is
 * still running after the drain timeout. A {@link JetStreamMessageHandler} that also
 * implements this interface is called just before the message is released (nak) to
 * another worker, so it can record that the attempt was given back (the task queue does,
 * in its status bucket).
 */
@FunctionalInterface
public interface ReleaseListener {

	/**
	 * Called just before a message whose handler is still running is given back to the
	 * server (nak) for another worker.
	 * @param message the message being released
	 */
	void released(JetStreamMessage message);

}
