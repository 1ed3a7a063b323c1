/**
 * A Spring {@link org.springframework.cache.CacheManager} backed by the key store, so that {@code @Cacheable} works across instances.
 */
@NullMarked
package io.natsboot.keystore.cache;

import org.jspecify.annotations.NullMarked;
