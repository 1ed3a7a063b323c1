package io.natsboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class its own JetStream cluster of real {@code nats-server} processes on
 * loopback (see {@link NatsClusterProcess}), started before the first test, with its meta
 * leader elected, and stopped after the last. Test methods, lifecycle methods and
 * constructors may declare a {@link NatsClusterProcess} parameter to reach it (to kill
 * and restart nodes, find a stream's leader). In a Spring test, {@code nats.servers}
 * lists every node, and the application context is not shared with test classes that use
 * other servers.
 *
 * <pre class="code">
 * &#064;SpringBootTest(properties = "nats.jetstream.replicas=3")
 * &#064;WithNatsCluster
 * class OrderFailoverTests { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NatsClusterExtension.class)
public @interface WithNatsCluster {

	/**
	 * How many nodes. Default 3 (R3 streams survive the loss of one).
	 * @return the cluster's size
	 */
	int nodes() default 3;

	/**
	 * Extra configuration every node gets, in nats-server's format. Default none.
	 * @return configuration appended to each node's file
	 */
	String config() default "";

}
