package io.natsboot.core;

import java.time.Duration;

import io.nats.client.Connection;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Operations while NATS is away: before the first connect, during an outage and after
 * close.
 */
class NatsTemplateDisconnectedTests {

	private final NatsServerProcess server = NatsServerProcess.builder().jetStream(false).build();

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void beforeTheFirstConnectOperationsNameTheSubjectAndAwaitConnectedWaits() {
		NatsTemplateTestSupport.contextRunner(this.server.url())
			.withPropertyValues("nats.startup=wait")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				assertThat(template.isConnected()).isFalse();
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.publish("early", "x"))
					.withMessageContaining("'early'");
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.request("service.early", "x", Duration.ofSeconds(1)))
					.withMessageContaining("'service.early'");
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.subscribe("early.events", (message) -> {
					}))
					.withMessageContaining("'early.events'");
				assertThat(template.awaitConnected(Duration.ofMillis(200))).isFalse();

				this.server.start();

				assertThat(template.awaitConnected(Duration.ofSeconds(20))).isTrue();
				template.publish("late", "x");
			});
	}

	@Test
	void aFullReconnectBufferIsReportedAndSmallerPublishesWereKept() {
		this.server.start();
		NatsTemplateTestSupport.contextRunner(this.server.url())
			.withPropertyValues("nats.reconnect.buffer-size=4KB")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				Connection connection = template.getConnection();
				this.server.stop();
				await().until(() -> connection.getStatus() != Connection.Status.CONNECTED);
				template.publish("buffered", new byte[1024]);
				assertThatExceptionOfType(NatsBufferFullException.class)
					.isThrownBy(() -> template.publish("buffered", new byte[8 * 1024]))
					.withMessageContaining("'buffered'")
					.withMessageContaining("nats.reconnect.buffer-size");
			});
	}

	@Test
	void afterTheConnectionClosedOperationsSaySo() {
		this.server.start();
		NatsTemplateTestSupport.contextRunner(this.server.url()).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			template.getConnection().close();
			assertThatExceptionOfType(NatsNotConnectedException.class).isThrownBy(() -> template.publish("late", "x"))
				.withMessageContaining("'late'")
				.withMessageContaining("Closed");
			assertThat(template.awaitConnected(Duration.ofSeconds(1))).isFalse();
		});
	}

}
