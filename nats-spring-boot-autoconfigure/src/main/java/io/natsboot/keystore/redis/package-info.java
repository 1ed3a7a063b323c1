/**
 * The Redis backend of the key store, on Spring Data Redis.
 */
@NullMarked
package io.natsboot.keystore.redis;

import org.jspecify.annotations.NullMarked;
