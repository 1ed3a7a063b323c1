/**
 * The core of natsboot: {@code NatsTemplate} and {@code NatsOperations}, the JetStream
 * and object store operations the template hands out (the interfaces and the messages and
 * objects they speak; {@code io.natsboot.jetstream} implements them), the connection's
 * lifecycle and readiness, message conversion, subjects and namespaces, and the
 * exceptions, with the translation of refused permissions and payload limits. This
 * package depends on no other natsboot package.
 */
@NullMarked
package io.natsboot.core;

import org.jspecify.annotations.NullMarked;
