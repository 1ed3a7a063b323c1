/**
 * Annotation-driven listeners: {@link io.natsboot.listener.NatsListener} methods turned into
 * endpoints, collected by a registrar and run by containers that a registry owns.
 */
@NullMarked
package io.natsboot.listener;

import org.jspecify.annotations.NullMarked;
