/**
 * Step four of the listener path, from a message to the handler method: the one
 * {@link io.natsboot.listener.adapter.HandlerMethodInvoker} that listeners and task
 * handlers share, argument resolution
 * ({@link io.natsboot.listener.adapter.Subject @Subject}, payload conversion,
 * spring-messaging's resolvers where a method needs them), error handlers, and the
 * classification of failures ({@link io.natsboot.listener.adapter.ListenerFailures}) that
 * decides error replies and retries.
 */
@NullMarked
package io.natsboot.listener.adapter;

import org.jspecify.annotations.NullMarked;
