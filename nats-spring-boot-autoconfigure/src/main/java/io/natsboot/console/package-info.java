/**
 * The natsboot console: a web page and JSON API for operators (task queues and their dead
 * letters, listeners, streams, the key store, the instances of the application).
 */
@NullMarked
package io.natsboot.console;

import org.jspecify.annotations.NullMarked;
