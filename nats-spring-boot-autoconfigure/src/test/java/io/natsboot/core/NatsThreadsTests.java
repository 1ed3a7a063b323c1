package io.natsboot.core;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * natsboot's threads are daemons and keep the names they always had (no counter
 * appended).
 */
class NatsThreadsTests {

	@Test
	void makesDaemonThreadsAllCalledTheGivenName() {
		ThreadFactory factory = NatsThreads.daemon("nats-listener-orders");
		Thread first = factory.newThread(() -> {
		});
		Thread second = factory.newThread(() -> {
		});
		assertThat(first.isDaemon()).isTrue();
		assertThat(second.isDaemon()).isTrue();
		assertThat(first.getName()).isEqualTo("nats-listener-orders");
		assertThat(second.getName()).isEqualTo("nats-listener-orders");
		assertThat(first.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
	}

}
