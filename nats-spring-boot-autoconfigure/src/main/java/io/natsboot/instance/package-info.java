/**
 * The instance registry: every running instance of the application writes a heartbeat to
 * a key-value bucket, so that any of them (its console) lists them all.
 */
@NullMarked
package io.natsboot.instance;

import org.jspecify.annotations.NullMarked;
