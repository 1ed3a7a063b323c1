/**
 * The in-memory backend of the key store, for tests and development.
 */
@NullMarked
package io.natsboot.keystore.memory;

import org.jspecify.annotations.NullMarked;
