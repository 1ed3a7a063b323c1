/**
 * JMH benchmarks of natsboot side by side with raw jnats, in one JVM against one real
 * server.
 */
package io.natsboot.benchmarks;
