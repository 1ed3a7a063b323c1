/**
 * JetStream: streams, consumers, publishing with acknowledgement, pulling in batches, and the
 * object store.
 */
@NullMarked
package io.natsboot.jetstream;

import org.jspecify.annotations.NullMarked;
