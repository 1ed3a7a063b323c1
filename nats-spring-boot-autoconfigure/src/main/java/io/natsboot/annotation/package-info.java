/**
 * Step one of the listener path, the annotations:
 * {@link io.natsboot.annotation.NatsListener} and
 * {@link io.natsboot.annotation.TaskHandler} on bean methods,
 * {@link io.natsboot.annotation.EnableNats}, and the bean post-processors (on one base)
 * that turn each annotated method into an endpoint ({@code io.natsboot.config}) or a task
 * handler ({@code io.natsboot.task}). Nothing below this package imports it.
 */
@NullMarked
package io.natsboot.annotation;

import org.jspecify.annotations.NullMarked;
