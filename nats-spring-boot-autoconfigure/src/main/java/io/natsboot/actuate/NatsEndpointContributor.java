package io.natsboot.actuate;

/**
 * Adds a section to the {@code /actuator/nats} endpoint, so that features (key store,
 * task queue, durable listeners) describe themselves without changing the endpoint.
 */
public interface NatsEndpointContributor {

	/**
	 * The section's name in the endpoint's answer, e.g. {@code keystore}.
	 * @return the name
	 */
	String name();

	/**
	 * The section's content; anything Jackson can write (maps, lists, records).
	 * @return the content
	 */
	Object describe();

}
