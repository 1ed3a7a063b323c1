package io.natsboot.actuate;

import java.time.Duration;

import io.nats.client.Connection;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsHealthContributorAutoConfiguration;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NatsHealthIndicatorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NatsAutoConfiguration.class, NatsHealthContributorAutoConfiguration.class))
		.withPropertyValues("nats.reconnect.wait=100ms");

	@Test
	void upWithServerDetailsWhileConnectedAndDownWithTheReasonWhileNot() {
		try (NatsServerProcess server = NatsServerProcess.startDefault()) {
			this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.startup=fail")
				.run((context) -> {
					NatsHealthIndicator indicator = context.getBean(NatsHealthIndicator.class);
					Health up = indicator.health(true);
					assertThat(up.getStatus()).isEqualTo(Status.UP);
					assertThat(up.getDetails()).containsEntry("status", "CONNECTED")
						.containsEntry("server", server.url())
						.containsEntry("serverName", "natsboot_test_" + server.port())
						.containsEntry("version", server.version())
						.containsEntry("jetStream", true)
						.containsKeys("serverId", "rttMillis");

					server.stop();
					Connection connection = context.getBean(Connection.class);
					await().until(() -> connection.getStatus() != Connection.Status.CONNECTED);
					Health down = indicator.health(true);
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat(down.getDetails()).containsKey("status").containsKey("servers");
					assertThat(down.getDetails().get("status")).isNotEqualTo("CONNECTED");

					server.start();
					await().atMost(Duration.ofSeconds(20)).until(() -> indicator.health(true).getStatus() == Status.UP);
				});
		}
	}

	@Test
	void beforeTheFirstConnectHealthIsConnectingWithTheLastConnectError() {
		String url = NatsServerProcess.builder().build().url(); // nothing listens there
		this.contextRunner.withPropertyValues("nats.servers=" + url).run((context) -> {
			NatsHealthIndicator indicator = context.getBean(NatsHealthIndicator.class);
			await().untilAsserted(() -> assertThat(indicator.health(true).getDetails()).containsKey("lastError"));
			// jnats is DISCONNECTED between attempts; an application that never connected
			// is
			// still connecting, every time it looks
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				Health health = indicator.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("status", "CONNECTING")
					.containsEntry("servers", java.util.List.of(url));
				assertThat(String.valueOf(health.getDetails().get("lastError"))).contains("Connection refused");
			});
		});
	}

	@Test
	void credentialsInServerUrlsAreMasked() {
		this.contextRunner.withPropertyValues("nats.servers=nats://alice:hunter2@127.0.0.1:1").run((context) -> {
			Health health = context.getBean(NatsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().toString()).doesNotContain("hunter2").contains("******@127.0.0.1:1");
		});
	}

	@Test
	void canBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.nats.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NatsHealthIndicator.class));
	}

	@Test
	void backsOffWithoutTheHealthModule() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(NatsHealthIndicator.class));
	}

	@Test
	void backsOffForAUserDefinedIndicator() {
		this.contextRunner.withBean("natsHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).hasBean("natsHealthIndicator")
				.doesNotHaveBean(NatsHealthIndicator.class));
	}

	@Test
	void theListenersIndicatorBacksOffForAUserDefinedOne() {
		this.contextRunner
			.withBean("natsListenersHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).hasBean("natsListenersHealthIndicator")
				.doesNotHaveBean(NatsListenersHealthIndicator.class)
				.hasSingleBean(NatsHealthIndicator.class));
	}

}
