package io.natsboot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.Options;
import io.natsboot.core.NatsConnectionEventLogger;
import io.natsboot.core.NatsConnectionLifecycle;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithNatsServer(jetStream = false)
class NatsAutoConfigurationTests {

	static String serverUrl;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + serverUrl);

	@BeforeAll
	static void server(NatsServerProcess server) {
		serverUrl = server.url();
	}

	@Test
	void createsAConnectedConnectionAndItsCollaboratorsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PropertiesNatsConnectionDetails.class)
				.hasSingleBean(Options.class)
				.hasSingleBean(NatsConnectionEventLogger.class)
				.hasSingleBean(NatsConnectionLifecycle.class)
				.hasSingleBean(Connection.class);
			Connection connection = context.getBean(Connection.class);
			await().until(() -> connection.getStatus() == Connection.Status.CONNECTED);
			assertThat(connection.getConnectedUrl()).isEqualTo(serverUrl);
		});
	}

	@Test
	void closingTheContextClosesTheConnection() {
		Connection[] connection = new Connection[1];
		this.contextRunner.withPropertyValues("nats.startup=fail")
			.run((context) -> connection[0] = context.getBean(Connection.class));
		assertThat(connection[0].getStatus()).isEqualTo(Connection.Status.CLOSED);
	}

	@Test
	void whenDisabledThenNoNatsBeans() {
		this.contextRunner.withPropertyValues("nats.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Connection.class)
				.doesNotHaveBean(Options.class)
				.doesNotHaveBean(NatsConnectionDetails.class)
				.doesNotHaveBean(NatsProperties.class));
	}

	@Test
	void whenJnatsIsAbsentThenNoNatsBeans() {
		this.contextRunner
			.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(Connection.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Options.class).doesNotHaveBean(NatsProperties.class));
	}

	@Test
	void whenUserDefinesConnectionThenAutoConfigurationBacksOff() {
		this.contextRunner.withUserConfiguration(UserConnectionConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Connection.class);
			assertThat(context.getBean(Connection.class)).isSameAs(context.getBean("userConnection"));
			assertThat(context.getBean(Connection.class).getOptions().getConnectionName()).isEqualTo("user-defined");
		});
	}

	@Test
	void whenUserDefinesOptionsThenTheyAreUsed() {
		this.contextRunner
			.withBean(Options.class,
					() -> new Options.Builder().server(serverUrl).connectionName("own-options").build())
			.run((context) -> assertThat(context.getBean(Connection.class).getOptions().getConnectionName())
				.isEqualTo("own-options"));
	}

	@Test
	void whenUserDefinesConnectionDetailsThenPropertiesAreNotUsedForServers() {
		this.contextRunner.withPropertyValues("nats.servers=nats://unreachable.invalid:4222")
			.withBean(NatsConnectionDetails.class, () -> () -> List.of(serverUrl))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PropertiesNatsConnectionDetails.class);
				Connection connection = context.getBean(Connection.class);
				await().until(() -> connection.getStatus() == Connection.Status.CONNECTED);
				assertThat(connection.getConnectedUrl()).isEqualTo(serverUrl);
			});
	}

	@Test
	void customizersAreAppliedInOrderAfterTheProperties() {
		this.contextRunner.withPropertyValues("nats.connection-name=from-properties")
			.withUserConfiguration(CustomizerConfiguration.class)
			.run((context) -> assertThat(context.getBean(Options.class).getConnectionName())
				.isEqualTo("from-properties-first-second"));
	}

	@Nested
	class PropertyBinding {

		@Test
		void defaultsNeverGiveUpReconnectingAndReportNoResponders() {
			NatsAutoConfigurationTests.this.contextRunner.run((context) -> {
				Options options = context.getBean(Options.class);
				assertThat(options.getMaxReconnect()).isEqualTo(-1);
				assertThat(options.getReconnectWait()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.getReconnectJitter()).isEqualTo(Duration.ofMillis(100));
				assertThat(options.getReconnectBufferSize()).isEqualTo(8 * 1024 * 1024);
				assertThat(options.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.getPingInterval()).isEqualTo(Duration.ofMinutes(2));
				assertThat(options.isReportNoResponders()).isTrue();
				assertThat(options.getConnectionListener()).isInstanceOf(NatsConnectionEventLogger.class);
				assertThat(options.getErrorListener()).isInstanceOf(NatsConnectionEventLogger.class);
			});
		}

		@Test
		void connectionPropertiesReachTheOptions() {
			NatsAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nats.servers=" + serverUrl + ",nats://127.0.0.1:1", "nats.connection-name=orders",
						"nats.reconnect.max-attempts=7", "nats.reconnect.wait=250ms", "nats.reconnect.jitter=5ms",
						"nats.reconnect.buffer-size=1MB", "nats.connection-timeout=3s", "nats.ping-interval=15s",
						"nats.drain-timeout=4s")
				.run((context) -> {
					Options options = context.getBean(Options.class);
					assertThat(options.getUnprocessedServers()).containsExactly(serverUrl, "nats://127.0.0.1:1");
					assertThat(options.getConnectionName()).isEqualTo("orders");
					assertThat(options.getMaxReconnect()).isEqualTo(7);
					assertThat(options.getReconnectWait()).isEqualTo(Duration.ofMillis(250));
					assertThat(options.getReconnectJitter()).isEqualTo(Duration.ofMillis(5));
					assertThat(options.getReconnectBufferSize()).isEqualTo(1024 * 1024);
					assertThat(options.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(3));
					assertThat(options.getPingInterval()).isEqualTo(Duration.ofSeconds(15));
					assertThat(context.getBean(NatsProperties.class).getDrainTimeout())
						.isEqualTo(Duration.ofSeconds(4));
				});
		}

		@Test
		void aJitterBelowOneMillisecondCountsAsOneBecauseJnatsNeedsAPositiveBound() {
			NatsAutoConfigurationTests.this.contextRunner.withPropertyValues("nats.reconnect.jitter=0ms")
				.run((context) -> assertThat(context.getBean(Options.class).getReconnectJitter())
					.isEqualTo(Duration.ofMillis(1)));
		}

		@Test
		void connectionNameDefaultsToTheApplicationName() {
			NatsAutoConfigurationTests.this.contextRunner.withPropertyValues("spring.application.name=billing")
				.run((context) -> {
					Connection connection = context.getBean(Connection.class);
					assertThat(connection.getOptions().getConnectionName()).isEqualTo("billing");
				});
		}

		@Test
		void secretsAreMaskedInToString() {
			NatsAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nats.servers=nats://alice:hunter2@127.0.0.1:1", "nats.token=t0ken-secret",
						"nats.startup=wait")
				.run((context) -> {
					String properties = context.getBean(NatsProperties.class).toString();
					String details = context.getBean(NatsConnectionDetails.class).toString();
					assertThat(properties + details).doesNotContain("hunter2")
						.doesNotContain("t0ken-secret")
						.contains("nats://******@127.0.0.1:1");
				});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionConfiguration {

		@Bean(destroyMethod = "close")
		Connection userConnection() throws Exception {
			return io.nats.client.Nats
				.connect(new Options.Builder().server(serverUrl).connectionName("user-defined").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@Order(2)
		NatsOptionsCustomizer second() {
			return (builder) -> builder.connectionName(builder.build().getConnectionName() + "-second");
		}

		@Bean
		@Order(1)
		NatsOptionsCustomizer first() {
			return (builder) -> builder.connectionName(builder.build().getConnectionName() + "-first");
		}

	}

}
