/**
 * The task queue: {@link io.natsboot.task.TaskQueue} and
 * {@link io.natsboot.annotation.TaskHandler} methods on a JetStream work-queue stream,
 * with retries, dead letters, delays, priorities, status and results.
 */
@NullMarked
package io.natsboot.task;

import org.jspecify.annotations.NullMarked;
