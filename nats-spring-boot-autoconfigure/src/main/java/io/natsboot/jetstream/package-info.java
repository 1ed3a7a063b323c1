/**
 * JetStream on top of {@code io.natsboot.core}: the template's JetStream and object store
 * operations, stream provisioning, the pull worker the durable listeners and the task queue run
 * on, delivery failures and dead letters, and fail-over retries.
 */
@NullMarked
package io.natsboot.jetstream;

import org.jspecify.annotations.NullMarked;
