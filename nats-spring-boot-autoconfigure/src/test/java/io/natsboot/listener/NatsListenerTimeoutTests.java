package io.natsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.natsboot.actuate.NatsListenersEndpointContributor;
import io.natsboot.actuate.NatsListenersHealthIndicator;
import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsHealthContributorAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @NatsListener(timeout)}: a listener that listens for a while, then stops itself,
 * against a real server.
 */
@WithNatsServer(jetStream = false)
class NatsListenerTimeoutTests {

	static String url;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NatsAutoConfiguration.class, NatsHealthContributorAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=timed");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void aListenerStopsItselfAfterItsTimeoutAndIsShownStoppedNotDown() {
		this.contextRunner.withUserConfiguration(ShortLived.class)
			.withPropertyValues("listen.for=1s")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				ShortLived listener = context.getBean(ShortLived.class);
				NatsListenerEndpointRegistry registry = context.getBean(NatsListenerEndpointRegistry.class);
				SubscriptionListenerContainer container = (SubscriptionListenerContainer) registry
					.getListenerContainer("short-lived");
				assertThat(container.getTimeout()).isEqualTo(Duration.ofSeconds(1));
				await().until(container::isSubscribed);
				template.publish("events.user.login", "before");
				await().until(() -> listener.seen.contains("before"));

				await().until(() -> !container.isRunning());
				assertThat(container.isStoppedByTimeout()).isTrue();
				assertThat(container.isSubscribed()).isFalse();
				template.publish("events.user.login", "after");
				template.flush(Duration.ofSeconds(2));
				assertThat(registry.getListenerContainer("forever").isRunning()).isTrue();

				Health health = context.getBean(NatsListenersHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(String.valueOf(health.getDetails().get("short-lived"))).contains("STOPPED_BY_TIMEOUT");
				List<Map<String, Object>> described = (List<Map<String, Object>>) new NatsListenersEndpointContributor(
						registry)
					.describe();
				assertThat(described).anySatisfy((entry) -> assertThat(entry).containsEntry("id", "short-lived")
					.containsEntry("running", false)
					.containsEntry("state", "STOPPED_BY_TIMEOUT"));

				// a new start is a new period, and no longer stopped by timeout
				container.start();
				assertThat(container.isStoppedByTimeout()).isFalse();
				await().until(container::isSubscribed);
				template.publish("events.user.login", "restarted");
				await().until(() -> listener.seen.contains("restarted"));
				assertThat(listener.seen).doesNotContain("after");
				await().until(() -> !container.isRunning());
				assertThat(container.isStoppedByTimeout()).isTrue();
			});
	}

	@Test
	void aTimeoutThatIsNoDurationFailsStartupNamingTheListener() {
		this.contextRunner.withUserConfiguration(ShortLived.class)
			.withPropertyValues("listen.for=soon")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@NatsListener method 'shortLived' of bean")
				.hasMessageContaining("timeout 'soon' is not a duration"));
		this.contextRunner.withUserConfiguration(ShortLived.class)
			.withPropertyValues("listen.for=0s")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@NatsListener method 'shortLived' of bean")
				.hasMessageContaining("timeout PT0S must be positive"));
	}

	@Test
	void aDurableListenerWithATimeoutFailsStartup() {
		this.contextRunner.withUserConfiguration(DurableWithTimeout.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@NatsListener method 'consume' of bean")
				.hasMessageContaining("timeout does not apply to a durable listener"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ShortLived {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@NatsListener(id = "short-lived", subject = "events.user.*", timeout = "${listen.for}")
		void shortLived(String event) {
			this.seen.add(event);
		}

		@NatsListener(id = "forever", subject = "events.user.*")
		void forever(String event) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DurableWithTimeout {

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "billing", timeout = "60s")
		void consume(String order) {
		}

	}

}
