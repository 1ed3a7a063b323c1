package io.natsboot.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subjects of the task queue start with natsboot's own prefix
 * ({@code nats.system-subject-prefix}, {@code natsboot} by default), so the streams it
 * owns never store the application's ordinary subjects: against a real server, the
 * default, a custom and an empty prefix (the earlier subjects), a refused one, and a
 * queue moved from the earlier subjects. Each test runs in a namespace of its own.
 */
@WithNatsServer
class TaskSubjectPrefixTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "prefix" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + this.namespace,
				"nats.drain-timeout=2s");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void aPlainPublishToTheApplicationsTasksSubjectIsNotStoredWhileAnEnqueuedTaskIs() {
		this.contextRunner.run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			tasks.enqueue("resize", "cat.png");
			// the application's own subject, on the connection the enqueues use: the
			// second enqueue's acknowledgement comes after the server took this in
			context.getBean(Connection.class).publish(this.namespace + ".tasks.resize", "dog.png".getBytes());
			tasks.enqueue("resize", "bird.png");
			StreamInfo stream = jsm(context).getStreamInfo(this.namespace + "_TASKS", StreamInfoOptions.allSubjects());
			assertThat(stream.getConfiguration().getSubjects()).containsExactly(this.namespace + ".natsboot.tasks.>");
			assertThat(stream.getStreamState().getMsgCount()).isEqualTo(2);
			assertThat(stream.getStreamState().getSubjects()).extracting(Subject::getName)
				.containsExactly(this.namespace + ".natsboot.tasks.default.normal.resize");
			assertThat(jsm(context).getStreamInfo(this.namespace + "_TASKS_DEAD").getConfiguration().getSubjects())
				.containsExactly(this.namespace + ".natsboot.tasks-dead.>");
		});
	}

	@Test
	void aCustomPrefixCarriesTasksAndDeadLettersAndAPlainClientEnqueuesUnderIt() throws Exception {
		this.contextRunner.withPropertyValues("nats.system-subject-prefix=acme.jobs")
			.withBean(Shout.class)
			.run((context) -> {
				publishPlain(this.namespace + ".acme.jobs.tasks.default.normal.shout", "plain-1", "quiet");
				TaskQueue tasks = context.getBean(TaskQueue.class);
				assertThat(tasks.awaitResult("plain-1", String.class, Duration.ofSeconds(10))).isEqualTo("QUIET");
				TaskReceipt failing = tasks.enqueue("shout", "fail", TaskOptions.maxAttempts(1));
				assertThatDead(tasks, failing.id());
				MessageInfo dead = jsm(context).getLastMessage(this.namespace + "_TASKS_DEAD",
						this.namespace + ".acme.jobs.tasks-dead.default." + failing.id());
				assertThat(dead.getHeaders().getFirst(TaskWireFormat.ID_HEADER)).isEqualTo(failing.id());
				assertThat(jsm(context).getStreamInfo(this.namespace + "_TASKS").getConfiguration().getSubjects())
					.containsExactly(this.namespace + ".acme.jobs.tasks.>");
			});
	}

	@Test
	void anEmptyPrefixKeepsTheSubjectsOfEarlierSnapshots() throws Exception {
		this.contextRunner.withPropertyValues("nats.system-subject-prefix=").withBean(Shout.class).run((context) -> {
			publishPlain(this.namespace + ".tasks.default.normal.shout", "plain-2", "earlier");
			TaskQueue tasks = context.getBean(TaskQueue.class);
			assertThat(tasks.awaitResult("plain-2", String.class, Duration.ofSeconds(10))).isEqualTo("EARLIER");
			assertThat(jsm(context).getStreamInfo(this.namespace + "_TASKS").getConfiguration().getSubjects())
				.containsExactly(this.namespace + ".tasks.>");
			assertThat(jsm(context).getStreamInfo(this.namespace + "_TASKS_DEAD").getConfiguration().getSubjects())
				.containsExactly(this.namespace + ".tasks-dead.>");
		});
	}

	@Test
	void aPrefixThatIsNoSubjectFailsStartUpNamingTheProperty() {
		for (String prefix : List.of("natsboot.*", "natsboot.>", "nats..boot", "nats boot", "natsboot.")) {
			this.contextRunner.withPropertyValues("nats.system-subject-prefix=" + prefix).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("nats.system-subject-prefix")
					.hasMessageContaining(prefix)
					.hasMessageContaining("use dot-separated tokens without wildcards");
			});
		}
	}

	@Test
	void aQueueDrainedUnderTheEarlierSubjectsMovesToThePrefixedOnesAndItsDeadTasksComeAlong() {
		String[] dead = new String[1];
		this.contextRunner.withPropertyValues("nats.system-subject-prefix=").withBean(Shout.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			String id = tasks.enqueue("shout", "before").id();
			assertThat(tasks.awaitResult(id, String.class, Duration.ofSeconds(10))).isEqualTo("BEFORE");
			dead[0] = tasks.enqueue("shout", "fail", TaskOptions.maxAttempts(1).priority(TaskPriority.HIGH)).id();
			assertThatDead(tasks, dead[0]);
		});
		this.contextRunner.withBean(Healed.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			String id = tasks.enqueue("shout", "after").id();
			assertThat(tasks.awaitResult(id, String.class, Duration.ofSeconds(10))).isEqualTo("AFTER");
			DeadTask earlier = tasks.deadLetter(dead[0]);
			assertThat(earlier.queue()).isEqualTo("default");
			assertThat(earlier.type()).isEqualTo("shout");
			tasks.requeue(dead[0]);
			assertThat(tasks.awaitResult(dead[0], String.class, Duration.ofSeconds(10))).isEqualTo("FAIL");
			assertThat(tasks.status(dead[0]).priority()).isEqualTo(TaskPriority.HIGH);
			assertThat(jsm(context).getStreamInfo(this.namespace + "_TASKS").getConfiguration().getSubjects())
				.containsExactly(this.namespace + ".natsboot.tasks.>");
			assertThat(jsm(context).getConsumerInfo(this.namespace + "_TASKS", this.namespace + "_tasks_default_normal")
				.getConsumerConfiguration()
				.getFilterSubject()).isEqualTo(this.namespace + ".natsboot.tasks.default.normal.*");
		});
	}

	private static void assertThatDead(TaskQueue tasks, String id) {
		org.awaitility.Awaitility.await().until(() -> tasks.deadLetter(id) != null);
	}

	private static void publishPlain(String subject, String id, String payload) throws Exception {
		try (Connection plain = Nats.connect(url)) {
			Headers headers = new Headers().put("Task-Id", id).put("Task-Type", "shout");
			plain.jetStream().publish(subject, headers, payload.getBytes());
		}
	}

	private static JetStreamManagement jsm(ApplicationContext context) throws Exception {
		return context.getBean(Connection.class).jetStreamManagement();
	}

	static class Healed {

		@TaskHandler("shout")
		String shout(String text) {
			return text.toUpperCase();
		}

	}

	static class Shout {

		@TaskHandler("shout")
		String shout(String text) {
			if (text.equals("fail")) {
				throw new IllegalStateException("no voice");
			}
			return text.toUpperCase();
		}

	}

}
