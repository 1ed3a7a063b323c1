/**
 * JMH benchmarks of natsboot side by side with raw jnats, in one JVM against one real
 * server, and of the task queue beside a peer, Spring AMQP on a RabbitMQ node of its own.
 */
package io.natsboot.benchmarks;
