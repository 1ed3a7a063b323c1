/**
 * Actuator support: the NATS health indicator.
 */
@NullMarked
package io.natsboot.actuate;

import org.jspecify.annotations.NullMarked;
