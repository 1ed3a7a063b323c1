package io.natsboot.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable listener across a crash of the server in the middle of a stream.
 */
class DurableNatsListenerRecoveryTests {

	private final NatsServerProcess server = NatsServerProcess.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.startup=fail", "nats.reconnect.wait=100ms",
				"nats.drain-timeout=2s");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void aServerCrashInTheMiddleOfAStreamLosesNothing() {
		this.server.start();
		this.contextRunner.withUserConfiguration(Collector.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			Collector collector = context.getBean(Collector.class);
			for (int i = 0; i < 300; i++) {
				template.jetStream().publish("readings.sensor", "r" + i);
			}
			await().until(() -> collector.handled.size() >= 50);

			this.server.kill();
			this.server.start();

			await().atMost(Duration.ofSeconds(60)).until(() -> collector.handled.size() == 300);
			assertThat(collector.handled).hasSize(300);
			assertThat(collector.calls.get()).isGreaterThanOrEqualTo(300);
			for (int i = 300; i < 310; i++) {
				template.jetStream().publish("readings.sensor", "r" + i);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> collector.handled.size() == 310);
		});
	}

	static class Collector {

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		NatsStreamDefinition readings() {
			return NatsStreamDefinition.of("READINGS", "readings.>");
		}

		@NatsListener(subject = "readings.>", stream = "READINGS", durable = "collector")
		void handle(String reading) throws InterruptedException {
			Thread.sleep(2);
			this.calls.incrementAndGet();
			this.handled.add(reading);
		}

	}

}
