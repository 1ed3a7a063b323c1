package io.natsboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the context drains: messages already received are handled before the connection
 * closes.
 */
@WithNatsServer(jetStream = false)
class NatsShutdownTests {

	@Test
	void messagesInFlightWhenTheContextClosesAreStillHandled(NatsServerProcess server) throws Exception {
		List<String> handled = new CopyOnWriteArrayList<>();
		CountDownLatch firstStarted = new CountDownLatch(1);
		ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + server.url(), "nats.startup=fail", "nats.drain-timeout=10s")
			.run((context) -> {
				Connection connection = context.getBean(Connection.class);
				connection.createDispatcher((message) -> {
					firstStarted.countDown();
					sleep(300);
					handled.add(new String(message.getData(), StandardCharsets.UTF_8));
				}).subscribe("slow.work");
				connection.flush(Duration.ofSeconds(2));
				try (Connection publisher = Nats.connect(server.url())) {
					for (int i = 1; i <= 3; i++) {
						publisher.publish("slow.work", ("job-" + i).getBytes(StandardCharsets.UTF_8));
					}
					publisher.flush(Duration.ofSeconds(2));
				}
				assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
				closed[0] = context.getSourceApplicationContext();
			});
		assertThat(closed[0].isActive()).isFalse();
		assertThat(handled).containsExactly("job-1", "job-2", "job-3");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
