package io.natsboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
	void beforeTheFirstConnectPublishesAreSentInOrderOnceConnectedAndCallsThatNeedAnAnswerSayHowToWait() {
		List<String> received = new CopyOnWriteArrayList<>();
		NatsTemplateTestSupport.contextRunner(this.server.url())
			.withPropertyValues("nats.startup=wait")
			// subscribes on connect, before the early publishes are sent
			.withBean(NatsConnectionReadyCallback.class,
					() -> (nats, reconnect) -> nats.subscribe("early.>",
							(message) -> received.add(new String(message.payload(), StandardCharsets.UTF_8))))
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				assertThat(template.isConnected()).isFalse();
				template.publish("early.one", "1");
				template.publish("early.two", (Object) Map.of("n", 2));
				template.publish(NatsMessage.builder("early.three").payload("3").header("n", "3").build());
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.request("service.early", "x", Duration.ofSeconds(1)))
					.withMessageContaining("'service.early'")
					.withMessageContaining("awaitConnected(timeout)")
					.withMessageContaining("nats.startup=fail");
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.subscribe("early.events", (message) -> {
					}))
					.withMessageContaining("'early.events'");
				assertThat(template.awaitConnected(Duration.ofMillis(200))).isFalse();

				this.server.start();

				assertThat(template.awaitConnected(Duration.ofSeconds(20))).isTrue();
				template.publish("early.four", "4");
				await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 4);
				assertThat(received).containsExactly("1", "{\"n\":2}", "3", "4");
			});
	}

	@Test
	void beforeTheFirstConnectAFullBufferIsReportedAndSmallerPublishesWereKept() {
		NatsTemplateTestSupport.contextRunner(this.server.url())
			.withPropertyValues("nats.startup=wait", "nats.reconnect.buffer-size=4KB")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				assertAFullBufferIsReportedAfterASmallerPublish(template);
			});
	}

	@Test
	void whenJnatsGivesUpBeforeTheFirstConnectPublishesAreRefusedNotKept() {
		NatsTemplateTestSupport.contextRunner(this.server.url())
			.withPropertyValues("nats.startup=wait", "nats.reconnect.max-attempts=2")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				template.publish("kept", "before jnats gives up");
				Connection connection = template.getConnection();
				await().atMost(Duration.ofSeconds(30)).until(() -> connection.getStatus() == Connection.Status.CLOSED);
				// nothing kept would ever be sent: the caller hears so at once
				assertThatExceptionOfType(NatsNotConnectedException.class)
					.isThrownBy(() -> template.publish("refused", "after"))
					.withMessageContaining("closed");
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
				assertAFullBufferIsReportedAfterASmallerPublish(template);
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

	private static void assertAFullBufferIsReportedAfterASmallerPublish(NatsTemplate template) {
		template.publish("buffered", new byte[1024]);
		assertThatExceptionOfType(NatsBufferFullException.class)
			.isThrownBy(() -> template.publish("buffered", new byte[8 * 1024]))
			.withMessageContaining("'buffered'")
			.withMessageContaining("nats.reconnect.buffer-size");
	}

}
