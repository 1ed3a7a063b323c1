/**
 * The NATS JetStream KV backend of the key store.
 */
@NullMarked
package io.natsboot.keystore.nats;

import org.jspecify.annotations.NullMarked;
