package io.natsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Turns on {@link NatsListener} processing. Spring Boot applications get it from
 * auto-configuration; declare it yourself only to take that over.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(NatsListenerBootstrapConfiguration.class)
public @interface EnableNats {

}
