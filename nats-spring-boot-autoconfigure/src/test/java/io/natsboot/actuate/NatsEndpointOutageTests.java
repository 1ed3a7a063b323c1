package io.natsboot.actuate;

import java.util.List;
import java.util.Map;

import io.nats.client.Connection;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsEndpointAutoConfiguration;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/nats} answers whatever state NATS is in: with the connection's state
 * and, for each section that needs the server, that it is unavailable and why.
 */
class NatsEndpointOutageTests {

	private final NatsServerProcess server = NatsServerProcess.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class,
				NatsTaskQueueAutoConfiguration.class, NatsEndpointAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.reconnect.wait=100ms", "nats.drain-timeout=1s",
				"management.endpoints.web.exposure.include=nats");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void beforeTheFirstConnectItAnswersWithTheStateAndWhySectionsAreUnavailable() {
		this.contextRunner.withPropertyValues("nats.startup=wait").run((context) -> {
			NatsEndpoint endpoint = context.getBean(NatsEndpoint.class);
			await().until(() -> ((Map<String, Object>) endpoint.describe().get("connection")).containsKey("lastError"));

			Map<String, Object> answer = endpoint.describe();

			Map<String, Object> connection = (Map<String, Object>) answer.get("connection");
			assertThat(connection).containsEntry("status", "CONNECTING");
			assertThat(String.valueOf(connection.get("lastError"))).contains("Connection refused");
			for (String section : List.of("taskQueue", "keystore")) {
				assertThat((Map<String, Object>) answer.get(section)).containsEntry("available", false)
					.hasEntrySatisfying("reason",
							(reason) -> assertThat(String.valueOf(reason))
								.contains("not connected to NATS (CONNECTING)")
								.contains("Connection refused"));
			}
			assertThat(answer.get("listeners")).isInstanceOf(List.class);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenTheServerWentAwayItAnswersAndSaysWhySectionsAreUnavailable() {
		this.server.start();
		this.contextRunner.withPropertyValues("nats.startup=fail").run((context) -> {
			NatsEndpoint endpoint = context.getBean(NatsEndpoint.class);
			assertThat(endpoint.describe().get("taskQueue")).isInstanceOf(List.class);

			this.server.stop();
			Connection nats = context.getBean(Connection.class);
			await().until(() -> nats.getStatus() != Connection.Status.CONNECTED);
			Map<String, Object> answer = endpoint.describe();

			assertThat((Map<String, Object>) answer.get("connection")).hasEntrySatisfying("status",
					(status) -> assertThat(status).isNotEqualTo("CONNECTED"));
			assertThat(answer).doesNotContainKey("streams");
			for (String section : List.of("taskQueue", "keystore")) {
				assertThat((Map<String, Object>) answer.get(section)).containsEntry("available", false)
					.hasEntrySatisfying("reason",
							(reason) -> assertThat(String.valueOf(reason)).startsWith("not connected to NATS ("));
			}
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void aFailingOrSilentContributorIsShownUnavailableAndTheOthersAsUsual() {
		this.server.start();
		this.contextRunner.withPropertyValues("nats.startup=fail")
			.withBean("broken", NatsEndpointContributor.class, () -> contributor("broken", () -> {
				throw new IllegalStateException("the broken section failed");
			}))
			.withBean("silent", NatsEndpointContributor.class, () -> contributor("silent", () -> {
				try {
					Thread.sleep(60_000); // like a call to a server that stopped
											// answering
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "late";
			}))
			.run((context) -> {
				Map<String, Object> answer = context.getBean(NatsEndpoint.class).describe();

				assertThat(answer.get("broken"))
					.isEqualTo(Map.of("available", false, "reason", "the broken section failed"));
				assertThat((Map<String, Object>) answer.get("silent")).containsEntry("available", false)
					.hasEntrySatisfying("reason",
							(reason) -> assertThat(String.valueOf(reason)).contains("did not answer within"));
				assertThat((Map<String, Object>) answer.get("connection")).containsEntry("status", "CONNECTED");
				assertThat(answer.get("taskQueue")).isInstanceOf(List.class);
			});
	}

	private static NatsEndpointContributor contributor(String name, java.util.function.Supplier<Object> content) {
		return new NatsEndpointContributor() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public Object describe() {
				return content.get();
			}
		};
	}

}
