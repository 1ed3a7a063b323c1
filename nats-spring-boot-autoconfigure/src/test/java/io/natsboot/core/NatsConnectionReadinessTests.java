package io.natsboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.api.StreamConfiguration;
import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Setup callbacks run on every connect, before listener containers subscribe.
 */
class NatsConnectionReadinessTests {

	private final NatsServerProcess server = NatsServerProcess.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.reconnect.wait=100ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void callbacksRunAtStartupAndAgainAfterEveryReconnect() {
		this.server.start();
		this.contextRunner.withUserConfiguration(StreamSetup.class)
			.withPropertyValues("nats.startup=fail")
			.run((context) -> {
				StreamSetup setup = context.getBean(StreamSetup.class);
				assertThat(setup.calls).containsExactly("connect");
				NatsTemplate template = context.getBean(NatsTemplate.class);
				assertThat(template.jetStream().streamInfo("SETUP")).isNotNull();

				this.server.restart();

				await().atMost(Duration.ofSeconds(20)).until(() -> setup.calls.contains("reconnect"));
				assertThat(context.getBean(NatsConnectionReadiness.class).isReady()).isTrue();
			});
	}

	@Test
	void listenersSubscribeOnlyAfterTheSetupOfALateConnect() throws Exception {
		this.contextRunner.withUserConfiguration(SlowSetup.class)
			.withPropertyValues("nats.startup=wait")
			.run((context) -> {
				SlowSetup setup = context.getBean(SlowSetup.class);
				NatsListenerContainer container = context.getBean(NatsListenerEndpointRegistry.class)
					.getListenerContainer("after-setup");

				this.server.start();

				assertThat(setup.entered.await(20, TimeUnit.SECONDS)).isTrue();
				Thread.sleep(300);
				assertThat(container.isSubscribed()).isFalse();
				setup.release.countDown();
				await().until(container::isSubscribed);
			});
	}

	@Test
	void aFailingSetupFailsStartupWithStartupFail() {
		this.server.start();
		this.contextRunner.withBean(NatsConnectionReadyCallback.class, () -> (nats, reconnect) -> {
			throw new IllegalStateException("bucket quota exceeded");
		})
			.withPropertyValues("nats.startup=fail")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("natsConnectionReadiness")
				.cause()
				.hasMessageContaining("Setting up NATS failed")
				.hasMessageContaining("bucket quota exceeded"));
	}

	@Test
	void aFailingSetupWithStartupWaitIsLoggedAndListenersStillRun() {
		this.server.start();
		this.contextRunner.withUserConfiguration(SlowSetup.class)
			.withBean(NatsConnectionReadyCallback.class, () -> (nats, reconnect) -> {
				throw new IllegalStateException("not today");
			})
			.withPropertyValues("nats.startup=wait")
			.run((context) -> {
				context.getBean(SlowSetup.class).release.countDown();
				NatsListenerContainer container = context.getBean(NatsListenerEndpointRegistry.class)
					.getListenerContainer("after-setup");
				await().atMost(Duration.ofSeconds(10)).until(container::isSubscribed);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class StreamSetup implements NatsConnectionReadyCallback {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public void onConnectionReady(NatsOperations nats, boolean reconnect) {
			nats.jetStream()
				.createOrUpdateStream(StreamConfiguration.builder().name("SETUP").subjects("setup.>").build());
			this.calls.add(reconnect ? "reconnect" : "connect");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowSetup {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Bean
		NatsConnectionReadyCallback slowCallback() {
			return (nats, reconnect) -> {
				this.entered.countDown();
				this.release.await(20, TimeUnit.SECONDS);
			};
		}

		@NatsListener(id = "after-setup", subject = "after.setup")
		void listen(String message) {
		}

	}

}
