/**
 * JetStream on top of {@code io.natsboot.core}: the template's JetStream and object store
 * operations, stream provisioning, the pull worker the durable listeners and the task
 * queue run on (in parts: consumer provisioning, consumer status, in-flight messages,
 * health, and the {@link io.natsboot.jetstream.PullStrategy} seam), delivery failures and
 * dead letters, and fail-over retries. Nothing here knows of listeners or tasks.
 */
@NullMarked
package io.natsboot.jetstream;

import org.jspecify.annotations.NullMarked;
