package io.natsboot.core;

/**
 * Sets up what the application needs on the server (streams, buckets, consumers) every
 * time the connection is established: at the first connect, which may come after start-up
 * with {@code nats.startup=wait}, and after every reconnect, since a server may have lost
 * or changed it. Implementations must be safe to repeat (create-or-update). Listener
 * containers subscribe only after all callbacks ran. Beans of this type are picked up in
 * {@code @Order}.
 */
@FunctionalInterface
public interface NatsConnectionReadyCallback {

	/**
	 * Sets up after a connect.
	 * @param nats the template, connected
	 * @param reconnect false for the first connect, true after a reconnect
	 * @throws Exception when the setup fails: with {@code nats.startup=fail} at start-up
	 * this fails the start-up, otherwise it is logged and tried again at the next
	 * reconnect
	 */
	void onConnectionReady(NatsOperations nats, boolean reconnect) throws Exception;

}
