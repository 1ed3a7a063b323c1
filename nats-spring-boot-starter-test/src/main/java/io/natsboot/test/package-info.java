/**
 * Test support for natsboot users: real {@code nats-server} and {@code redis-server}
 * processes on free ports, and a JUnit 5 extension that gives a test class its own NATS
 * server.
 */
@NullMarked
package io.natsboot.test;

import org.jspecify.annotations.NullMarked;
