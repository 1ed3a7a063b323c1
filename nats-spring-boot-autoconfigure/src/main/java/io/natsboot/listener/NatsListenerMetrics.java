package io.natsboot.listener;

/**
 * Receives how {@code @NatsListener} methods ran (core and durable listeners), for
 * metrics. The default records nothing; with Micrometer on the class path and a
 * {@code MeterRegistry} bean, natsboot records timers and counters. A bean of this type
 * replaces natsboot's.
 */
public interface NatsListenerMetrics {

	/** A recorder that records nothing. */
	NatsListenerMetrics NONE = new NatsListenerMetrics() {
	};

	/**
	 * A listener handled a message.
	 * @param listenerId the listener's container id
	 * @param subject the subject, without namespace
	 * @param nanos how long the listener ran
	 * @param success whether it returned normally
	 */
	default void listenerInvoked(String listenerId, String subject, long nanos, boolean success) {
	}

}
