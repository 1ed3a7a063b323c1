/**
 * Testcontainers support: {@code @ServiceConnection} for a {@code nats} container.
 */
@NullMarked
package io.natsboot.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
