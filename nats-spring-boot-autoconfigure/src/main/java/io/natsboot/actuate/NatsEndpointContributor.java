package io.natsboot.actuate;

/**
 * Adds a section to the {@code /actuator/nats} endpoint, so that features (key store,
 * task queue, durable listeners) describe themselves without changing the endpoint. A
 * contributor that fails or takes longer than {@link NatsEndpoint#SECTION_TIMEOUT} is
 * shown as unavailable, with why; it never fails the endpoint.
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

	/**
	 * Whether the section asks the NATS server: while the connection is not established,
	 * the endpoint then shows the section as unavailable, with the connection's state,
	 * rather than asking it.
	 * @return true unless the section is described from the application's own state
	 */
	default boolean needsConnection() {
		return true;
	}

}
