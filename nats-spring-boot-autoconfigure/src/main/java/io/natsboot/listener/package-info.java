/**
 * Step three of the listener path, the containers: a
 * {@link io.natsboot.listener.SubscriptionListenerContainer} runs a core NATS
 * subscription, a {@link io.natsboot.listener.JetStreamListenerContainer} a durable
 * JetStream consumer; each hands every message to its invoker
 * ({@code io.natsboot.listener.adapter}).
 */
@NullMarked
package io.natsboot.listener;

import org.jspecify.annotations.NullMarked;
