package io.natsboot.autoconfigure;

import io.nats.client.Options;

/**
 * Callback that customizes the jnats {@link Options.Builder} after natsboot has applied
 * the {@code nats.*} properties, for any option natsboot does not bind. Customizer beans
 * are applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface NatsOptionsCustomizer {

	/**
	 * Customizes the options builder.
	 * @param builder the builder, with natsboot's settings applied
	 */
	void customize(Options.Builder builder);

}
