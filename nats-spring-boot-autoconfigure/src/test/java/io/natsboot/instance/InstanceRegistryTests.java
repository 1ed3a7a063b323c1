package io.natsboot.instance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsConsoleAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances of an application find each other through the instance registry, against a
 * real server: each lists the others with their queues and listeners; one that is cut off
 * without leaving (its connection gone, as when it is killed) is shown as gone after the
 * timeout and forgotten after the bucket's max age; one that stops gracefully leaves at
 * once.
 */
@WithNatsServer
class InstanceRegistryTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "reg" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
				NatsConsoleAutoConfiguration.class))
		.withPropertyValues("nats.startup=fail", "nats.drain-timeout=1s", "nats.console.instances.register=true",
				"nats.console.instances.heartbeat=300ms", "nats.console.instances.timeout=2s",
				"nats.console.instances.forget-after=5s", "spring.application.name=billing",
				"nats.namespace=" + this.namespace);

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void instancesListEachOtherAndOneCutOffIsGoneAfterTheTimeoutThenForgotten() {
		this.contextRunner.withPropertyValues("nats.servers=" + url).withBean(Greeter.class).run((first) -> {
			ConfigurableApplicationContext second = start();
			ConfigurableApplicationContext third = start();
			try {
				InstanceRegistry registry = first.getBean(InstanceRegistry.class);
				String firstId = first.getBean(InstanceInfo.class).id();
				String secondId = second.getBean(InstanceInfo.class).id();
				String thirdId = third.getBean(InstanceInfo.class).id();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.instances()).extracting((i) -> i.info().id())
						.containsExactlyInAnyOrder(firstId, secondId, thirdId));
				List<RegisteredInstance> instances = registry.instances();
				assertThat(instances.get(0).self()).isTrue();
				assertThat(instances.get(0).info().id()).isEqualTo(firstId);
				assertThat(instances.get(0).info().application()).isEqualTo("billing");
				assertThat(instances.get(0).info().listeners()).containsExactly("greeter");
				assertThat(instances.get(0).info().queues()).containsExactly("default");
				assertThat(instances.get(0).info().pid()).isEqualTo(ProcessHandle.current().pid());
				assertThat(instances).extracting(RegisteredInstance::state).containsOnly(RegisteredInstance.State.UP);

				// cut off without leaving: no more heartbeats, no goodbye
				second.getBean(Connection.class).close();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(
							() -> assertThat(registry.instances()).filteredOn((i) -> i.info().id().equals(secondId))
								.singleElement()
								.extracting(RegisteredInstance::state)
								.isEqualTo(RegisteredInstance.State.GONE));
				assertThat(registry.instances()).filteredOn((i) -> !i.info().id().equals(secondId))
					.extracting(RegisteredInstance::state)
					.containsOnly(RegisteredInstance.State.UP);

				// a graceful stop leaves at once
				third.close();
				assertThat(registry.instances()).extracting((i) -> i.info().id()).doesNotContain(thirdId);

				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(registry.instances()).extracting((i) -> i.info().id())
						.containsExactly(firstId));
			}
			finally {
				second.close();
				third.close();
			}
		});
	}

	@Test
	void aTimeoutNoLongerThanTheHeartbeatIsRefusedNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("nats.servers=" + url, "nats.console.instances.heartbeat=5s",
					"nats.console.instances.timeout=5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nats.console.instances.timeout")
				.hasMessageContaining("must be longer than the heartbeat"));
		this.contextRunner.withPropertyValues("nats.servers=" + url, "nats.console.instances.forget-after=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nats.console.instances.forget-after"));
	}

	@Test
	void anInstanceRegistersOnlyWhenToldOrWithTheConsole() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsConsoleAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail")
			.run((context) -> assertThat(context).doesNotHaveBean(InstanceRegistry.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsConsoleAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.console.enabled=true",
					"nats.console.instances.register=false")
			.run((context) -> assertThat(context).doesNotHaveBean(InstanceRegistry.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsConsoleAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.console.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(InstanceRegistry.class));
	}

	/** Another instance of the same application, in the same namespace. */
	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.properties("nats.servers=" + url, "nats.startup=fail", "nats.drain-timeout=1s",
					"nats.console.instances.register=true", "nats.console.instances.heartbeat=300ms",
					"nats.console.instances.timeout=2s", "nats.console.instances.forget-after=5s",
					"spring.application.name=billing", "nats.namespace=" + this.namespace)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class,
			NatsConsoleAutoConfiguration.class })
	static class Instance {

	}

	/** A listener and a task handler the registry names. */
	static class Greeter {

		@NatsListener(id = "greeter", subject = "greetings")
		void greet(String text) {
		}

		@TaskHandler("greet")
		void greetLater(String text) {
		}

	}

}
