/**
 * The Spring Cache abstraction on the key store: a
 * {@link org.springframework.cache.CacheManager} whose caches keep their entries in a key
 * store bucket, so that {@code @Cacheable} works across instances
 * ({@code nats.keystore.cache-manager.*}). Not to be confused with the key store's own
 * local entry cache ({@code nats.keystore.cache.*},
 * {@code io.natsboot.keystore.LocalEntryCache}).
 */
@NullMarked
package io.natsboot.keystore.springcache;

import org.jspecify.annotations.NullMarked;
