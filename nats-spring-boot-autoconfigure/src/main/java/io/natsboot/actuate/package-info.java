/**
 * Actuator support: health indicators of the connection, the durable listeners and the
 * task workers, the {@code /actuator/nats} endpoint with its contributors, and the
 * Micrometer meter binders and metrics recorders (one per feature: core messaging,
 * listeners, pull workers, tasks, key store).
 */
@NullMarked
package io.natsboot.actuate;

import org.jspecify.annotations.NullMarked;
