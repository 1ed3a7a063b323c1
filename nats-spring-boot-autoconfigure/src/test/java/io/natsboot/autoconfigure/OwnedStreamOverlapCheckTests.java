package io.natsboot.autoconfigure;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.annotation.NatsListener;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsSubjectOverlap;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.task.TaskQueue;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-up warning about application subjects that overlap the streams natsboot owns,
 * and the application's own {@code tasks.>}, which no longer meets the task queue. Each
 * test runs in a namespace of its own.
 */
@WithNatsServer
@ExtendWith(OutputCaptureExtension.class)
class OwnedStreamOverlapCheckTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String ns = "overlap" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.ns,
				"nats.drain-timeout=2s");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void aListenerAndAStreamDefinitionOnNatsbootsSubjectsAreWarnedAboutNamingBoth(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(Overlapping.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("Listener 'everything' subscribes to '" + this.ns + ".>', which overlaps '"
					+ this.ns + ".natsboot.tasks.>' of stream '" + this.ns + "_TASKS' (the task queue), '" + this.ns
					+ ".natsboot.tasks-dead.>' of stream '" + this.ns + "_TASKS_DEAD' (dead tasks), '" + this.ns
					+ ".natsboot.dead-letters.>' of stream '" + this.ns
					+ "_DEAD_LETTERS' (durable listeners' dead letters), a stream natsboot owns");
			assertThat(output).contains("Stream definition 'AUDIT' stores '" + this.ns
					+ ".natsboot.tasks.*.high.*', which overlaps '" + this.ns + ".natsboot.tasks.>' of stream '"
					+ this.ns + "_TASKS' (the task queue), a stream natsboot owns: the server refuses streams");
			assertThat(output).contains("nats.system-subject-prefix 'natsboot'");
		});
	}

	@Test
	void theApplicationsOwnTasksSubjectsMeetNoTaskAndNoWarning(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(OwnTasks.class).run((context) -> {
			await().until(() -> container(context, "own-tasks").isSubscribed());
			// a task first, then the application's own message, on one connection: the
			// listener gets them in that order, so once it has the second the first
			// would have come
			context.getBean(TaskQueue.class).enqueue("resize", "cat.png");
			context.getBean(NatsTemplate.class).publish("tasks.resize", "dog.png");
			OwnTasks listener = context.getBean(OwnTasks.class);
			await().until(() -> listener.subjects.contains("tasks.resize"));
			assertThat(listener.subjects).containsExactly("tasks.resize");
			assertThat(output).doesNotContain("a stream natsboot owns");
		});
	}

	@Test
	void subjectsOverlapWhenSomeSubjectMatchesBoth() {
		assertThat(NatsSubjectOverlap.overlap("tasks.>", "natsboot.tasks.>")).isFalse();
		assertThat(NatsSubjectOverlap.overlap(">", "natsboot.tasks.>")).isTrue();
		assertThat(NatsSubjectOverlap.overlap("natsboot.>", "natsboot.tasks.>")).isTrue();
		assertThat(NatsSubjectOverlap.overlap("*.tasks.a.b.c", "natsboot.tasks.>")).isTrue();
		assertThat(NatsSubjectOverlap.overlap("natsboot.tasks", "natsboot.tasks.>")).isFalse();
		assertThat(NatsSubjectOverlap.overlap("natsboot.*", "natsboot.tasks.>")).isFalse();
		assertThat(NatsSubjectOverlap.overlap("natsboot.*.x", "natsboot.tasks.>")).isTrue();
		assertThat(NatsSubjectOverlap.overlap("natsboot.tasks-dead.>", "natsboot.tasks.>")).isFalse();
	}

	private static NatsListenerContainer container(ApplicationContext context, String id) {
		return context.getBean(NatsListenerEndpointRegistry.class).getListenerContainer(id);
	}

	@Configuration(proxyBeanMethods = false)
	static class Overlapping {

		@NatsListener(id = "everything", subject = ">")
		void everything(String payload) {
		}

		@Bean
		NatsStreamDefinition auditStream() {
			return NatsStreamDefinition.of("AUDIT", "natsboot.tasks.*.high.*");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTasks {

		final Queue<String> subjects = new ConcurrentLinkedQueue<>();

		@NatsListener(id = "own-tasks", subject = "tasks.>")
		void receive(NatsMessage message) {
			this.subjects.add(message.originalSubject());
		}

		@Bean
		NatsStreamDefinition jobsStream() {
			return NatsStreamDefinition.of("JOBS", "tasks.>");
		}

		@Bean
		NatsStreamDefinition deadLetterStream() {
			// natsboot's own stream, defined to give it a limit: takes its subjects on
			// purpose
			return NatsStreamDefinition.of("DEAD_LETTERS", "natsboot.dead-letters.>");
		}

	}

}
