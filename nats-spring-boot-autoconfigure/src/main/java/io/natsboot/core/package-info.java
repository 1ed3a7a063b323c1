/**
 * The core of natsboot: {@code NatsTemplate} and {@code NatsOperations}, the connection's
 * lifecycle and readiness, message conversion, subjects and namespaces, and the exceptions, with
 * the translation of refused permissions and payload limits.
 */
@NullMarked
package io.natsboot.core;

import org.jspecify.annotations.NullMarked;
