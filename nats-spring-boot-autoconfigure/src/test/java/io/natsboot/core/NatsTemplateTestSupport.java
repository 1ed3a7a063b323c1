package io.natsboot.core;

import java.time.Duration;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.natsboot.autoconfigure.NatsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs a scenario against auto-configured {@link NatsTemplate}s on a real server.
 */
final class NatsTemplateTestSupport {

	private NatsTemplateTestSupport() {
	}

	static ApplicationContextRunner contextRunner(String serverUrl) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + serverUrl, "nats.startup=fail", "nats.reconnect.wait=100ms");
	}

	static void withTemplate(String serverUrl, String namespace, Consumer<NatsTemplate> scenario) {
		contextRunner(serverUrl).withPropertyValues("nats.namespace=" + namespace).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			scenario.accept(template);
		});
	}

	static void settle(NatsTemplate template) {
		template.flush(Duration.ofSeconds(5));
	}

	static boolean connected(Connection connection) {
		return connection.getStatus() == Connection.Status.CONNECTED;
	}

}
