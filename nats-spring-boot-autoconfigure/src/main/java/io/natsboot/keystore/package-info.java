/**
 * The key store: {@link io.natsboot.keystore.KeyStoreTemplate} on a
 * {@link io.natsboot.keystore.KeyValueBackend} (NATS KV, Redis or memory), with TTL,
 * tags, versions, checksums and a coherent local cache.
 */
@NullMarked
package io.natsboot.keystore;

import org.jspecify.annotations.NullMarked;
