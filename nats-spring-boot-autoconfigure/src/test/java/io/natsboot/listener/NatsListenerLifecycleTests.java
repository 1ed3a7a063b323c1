package io.natsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsboot.annotation.EnableNats;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.NatsListenerAnnotationBeanPostProcessor;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener containers across server restarts, late connects, shutdown, and bad
 * declarations.
 */
class NatsListenerLifecycleTests {

	private final NatsServerProcess server = NatsServerProcess.builder().jetStream(false).build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + this.server.url(), "nats.reconnect.wait=100ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void aListenerSurvivesAServerRestartWithoutDuplicates() {
		this.server.start();
		this.contextRunner.withUserConfiguration(Collector.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			Collector collector = context.getBean(Collector.class);
			await().until(() -> context.getBean(NatsListenerEndpointRegistry.class)
				.getListenerContainer("collector")
				.isSubscribed());
			template.publish("readings", "before");
			await().until(() -> collector.received.contains("before"));

			this.server.restart();
			await().atMost(Duration.ofSeconds(20)).until(template::isConnected);
			template.flush(Duration.ofSeconds(5));
			for (int i = 0; i < 5; i++) {
				template.publish("readings", "after-" + i);
			}
			await().until(() -> collector.received.size() == 6);
			template.flush(Duration.ofSeconds(2));
			Thread.sleep(200);
			assertThat(collector.received).containsExactly("before", "after-0", "after-1", "after-2", "after-3",
					"after-4");
		});
	}

	@Test
	void aListenerOfAnApplicationStartedBeforeNatsSubscribesOnceNatsIsUp() {
		this.contextRunner.withUserConfiguration(Collector.class)
			.withPropertyValues("nats.startup=wait")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NatsListenerContainer container = context.getBean(NatsListenerEndpointRegistry.class)
					.getListenerContainer("collector");
				assertThat(container.isRunning()).isTrue();
				assertThat(container.isSubscribed()).isFalse();

				this.server.start();

				await().atMost(Duration.ofSeconds(20)).until(container::isSubscribed);
				context.getBean(NatsTemplate.class).publish("readings", "late");
				await().until(() -> context.getBean(Collector.class).received.contains("late"));
			});
	}

	@Test
	void closingTheContextDrainsAMessageInFlight() throws Exception {
		this.server.start();
		ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
		Slow[] slow = new Slow[1];
		this.contextRunner.withUserConfiguration(Slow.class).run((context) -> {
			slow[0] = context.getBean(Slow.class);
			await().until(() -> context.getBean(NatsListenerEndpointRegistry.class)
				.getListenerContainer("slow")
				.isSubscribed());
			// the server has the subscription
			context.getBean(NatsTemplate.class).flush(Duration.ofSeconds(2));
			try (Connection publisher = Nats.connect(this.server.url())) {
				publisher.publish("slow.jobs", "job-1".getBytes());
				publisher.publish("slow.jobs", "job-2".getBytes());
				publisher.flush(Duration.ofSeconds(2));
			}
			assertThat(slow[0].started.await(5, TimeUnit.SECONDS)).isTrue();
			closed[0] = context.getSourceApplicationContext();
		});
		assertThat(closed[0].isActive()).isFalse();
		assertThat(slow[0].finished).containsExactly("job-1", "job-2");
	}

	@Test
	void anAmbiguousParameterFailsStartupNamingBeanMethodAndParameter() {
		this.contextRunner.withUserConfiguration(Ambiguous.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@NatsListener method 'handle' of bean")
				.hasMessageContaining("ambiguous")
				.hasMessageContaining("Parameter 'second'"));
	}

	@Test
	void anInvalidSubjectFailsStartupNamingBeanAndMethod() {
		this.contextRunner.withUserConfiguration(InvalidSubject.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("@NatsListener method 'handle' of bean")
				.hasMessageContaining("invalid subject")
				.hasMessageContaining("orders..created"));
	}

	@Test
	void aMissingErrorHandlerBeanFailsStartup() {
		this.contextRunner.withUserConfiguration(MissingErrorHandler.class)
			.run((context) -> assertThat(context).getFailure().hasMessageContaining("errorHandler 'nowhere'"));
	}

	@Test
	void autoStartupFalseLeavesTheContainerStopped() {
		this.server.start();
		this.contextRunner.withUserConfiguration(Collector.class)
			.withPropertyValues("nats.listener.auto-startup=false")
			.run((context) -> assertThat(
					context.getBean(NatsListenerEndpointRegistry.class).getListenerContainer("collector").isRunning())
				.isFalse());
	}

	@Test
	void aUsersOwnEnableNatsMakesTheAutoConfiguredOneBackOff() {
		this.server.start();
		this.contextRunner.withUserConfiguration(UserEnableNats.class, Collector.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(NatsListenerAnnotationBeanPostProcessor.class)).hasSize(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Collector {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NatsListener(id = "collector", subject = "readings")
		void collect(String reading) {
			this.received.add(reading);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final List<String> finished = new CopyOnWriteArrayList<>();

		@NatsListener(id = "slow", subject = "slow.jobs", namespaced = false)
		void work(String job) throws InterruptedException {
			this.started.countDown();
			Thread.sleep(300);
			this.finished.add(job);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Ambiguous {

		@NatsListener(subject = "orders")
		void handle(String first, String second) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InvalidSubject {

		@NatsListener(subject = "orders..created")
		void handle(String order) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MissingErrorHandler {

		@NatsListener(subject = "orders", errorHandler = "nowhere")
		void handle(String order) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableNats
	static class UserEnableNats {

		@Bean
		String marker() {
			return "user";
		}

	}

}
