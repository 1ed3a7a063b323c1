package io.natsboot.listener.adapter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link io.natsboot.annotation.NatsListener} method parameter to the subject the
 * message arrived on, without the namespace ({@code orders.created} for a listener on
 * {@code orders.*}).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Subject {

}
