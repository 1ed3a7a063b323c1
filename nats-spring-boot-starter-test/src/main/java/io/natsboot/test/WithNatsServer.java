package io.natsboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class its own real {@code nats-server} (free port, JetStream in a
 * temporary directory), started before the first test and stopped after the last. Test
 * methods, lifecycle methods and constructors may declare a {@link NatsServerProcess}
 * parameter to reach it (to read its URL, or to stop and restart it). In a Spring test
 * ({@code @SpringBootTest} and friends), {@code nats.servers} points at it, and the
 * application context is not shared with test classes that use another server.
 *
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;WithNatsServer
 * class OrderServiceTests { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NatsServerExtension.class)
public @interface WithNatsServer {

	/**
	 * Whether JetStream is enabled on the server. Default true.
	 * @return whether to enable JetStream
	 */
	boolean jetStream() default true;

	/**
	 * Extra server configuration in nats-server's format (an {@code authorization} block,
	 * say). Default none.
	 * @return configuration appended to the generated file
	 */
	String config() default "";

}
