package io.natsboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.nats.client.Connection;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.natsboot.core.NatsTemplateTestSupport.contextRunner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads flushing and pinging at once, as listener containers checking their
 * subscriptions do at start-up, against a real server.
 */
@WithNatsServer(jetStream = false)
class NatsPingsTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void concurrentFlushesAndPingsNeverCostTheConnection() {
		contextRunner(url).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			Connection connection = context.getBean(Connection.class);
			ExecutorService threads = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> calls = new ArrayList<>();
				for (int i = 0; i < 400; i++) {
					boolean flush = i % 2 == 0;
					calls.add(threads.submit(() -> {
						if (flush) {
							template.flush(Duration.ofSeconds(10));
						}
						else {
							template.ping();
						}
					}));
				}
				for (Future<?> call : calls) {
					call.get();
				}
			}
			finally {
				threads.shutdownNow();
			}
			// jnats takes a ping beyond max pings out for a dead connection and
			// reconnects
			assertThat(connection.getStatistics().getReconnects()).isZero();
			assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
		});
	}

}
