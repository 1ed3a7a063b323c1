package io.natsboot.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.DeadLetter;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.FailoverRetry;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters are kept each on the subject of its task ({@code natsboot.tasks-dead.
 * <queue>.<id>}), so one is found and re-queued by reading that subject, never the
 * others, and each queue's dead letters are counted by the server: against a real server,
 * among hundreds of dead letters, with one an earlier version kept on its queue's
 * subject. Each test runs in a namespace of its own.
 */
@WithNatsServer
class TaskDeadLetterLookupTests {

	private static final AtomicInteger namespaces = new AtomicInteger();

	static String url;

	private final String namespace = "dl" + namespaces.incrementAndGet();

	private final ApplicationContextRunner contextRunner = TaskQueueContexts.runner(url, this.namespace)
		.withPropertyValues("nats.drain-timeout=2s");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void oneDeadLetterAmongHundredsIsFoundAndRequeuedWithAFewReadsAndOneOfAnEarlierVersionToo() {
		this.contextRunner.run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Connection connection = context.getBean(Connection.class);
			// provisions the streams and buckets
			assertThat(tasks.stats()).isNotEmpty();
			List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				acks.add(publishDeadLetter(connection, "default", "charge", "dead-" + i, true));
			}
			acks.add(publishDeadLetter(connection, "default", "charge", "earlier-1", false));
			CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			assertThat(tasks.deadLetters()).hasSize(301);
			assertThat(tasks.deadLetter("dead-0")).isNotNull();

			long before = connection.getStatistics().getOutMsgs();
			DeadTask found = tasks.deadLetter("dead-150");
			long foundReads = connection.getStatistics().getOutMsgs() - before;
			assertThat(found.id()).isEqualTo("dead-150");
			assertThat(found.type()).isEqualTo("charge");
			assertThat(found.queue()).isEqualTo("default");
			assertThat(new String(found.payload())).isEqualTo("card of dead-150");
			assertThat(found.attempts()).isEqualTo(3);
			assertThat(found.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
			// the task's status, then its own subject: not the 300 others
			assertThat(foundReads).isLessThanOrEqualTo(3);

			before = connection.getStatistics().getOutMsgs();
			assertThat(tasks.deadLetter("never-dead")).isNull();
			// its status, its subject under two prefixes, the queue's earlier subject
			// under two prefixes (with the one dead letter an earlier version left there)
			assertThat(connection.getStatistics().getOutMsgs() - before).isLessThanOrEqualTo(8);

			DeadTask earlier = tasks.deadLetter("earlier-1");
			assertThat(earlier.id()).isEqualTo("earlier-1");
			assertThat(new String(earlier.payload())).isEqualTo("card of earlier-1");

			TaskReceipt again = tasks.requeue("dead-150");
			assertThat(again.id()).isEqualTo("dead-150");
			assertThat(tasks.deadLetter("dead-150")).isNull();
			assertThat(tasks.status("dead-150").state()).isEqualTo(TaskState.PENDING);
			assertThat(tasks.status("dead-150").requeues()).isEqualTo(1);
			tasks.requeue("earlier-1");
			assertThat(tasks.deadLetter("earlier-1")).isNull();
			assertThat(tasks.deadLetter("dead-151").id()).isEqualTo("dead-151");
			assertThat(tasks.deadLetters()).hasSize(299);
			// both wait in the task stream, on the subject they were stored under
			MessageInfo requeued = jsm(context).getLastMessage(this.namespace + "_TASKS",
					this.namespace + ".natsboot.tasks.default.normal.charge");
			assertThat(requeued.getHeaders().getFirst(TaskWireFormat.ID_HEADER)).isEqualTo("earlier-1");
			assertThat(tasks.stats()).filteredOn((stats) -> stats.queue().equals("default"))
				.singleElement()
				.satisfies((stats) -> {
					assertThat(stats.pending()).isEqualTo(2);
					assertThat(stats.dead()).isEqualTo(299);
				});
		});
	}

	@Test
	void statsCountEachQueuesDeadLettersAndNoLongerThoseRequeuedOrPurged() {
		this.contextRunner.withBean(Shop.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Connection connection = context.getBean(Connection.class);
			assertThat(tasks.stats()).extracting(TaskQueueStats::dead).containsOnly(0L);
			List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				acks.add(publishDeadLetter(connection, "default", "charge", "charge-" + i, true));
			}
			for (int i = 0; i < 20; i++) {
				acks.add(publishDeadLetter(connection, "media", "resize", "resize-" + i, true));
			}
			acks.add(publishDeadLetter(connection, "default", "charge", "charge-earlier", false));
			CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			assertThat(dead(tasks, "default")).isEqualTo(31);
			assertThat(dead(tasks, "media")).isEqualTo(20);

			List<String> requeued = List.of("charge-3", "charge-17", "charge-earlier", "resize-0", "resize-9",
					"resize-19");
			for (String id : requeued) {
				tasks.requeue(id);
			}
			for (String id : requeued) {
				assertThat(tasks.awaitResult(id, String.class, Duration.ofSeconds(10))).isEqualTo("done " + id);
			}
			assertThat(dead(tasks, "default")).isEqualTo(28);
			assertThat(dead(tasks, "media")).isEqualTo(17);

			// a task its handler refuses joins its queue's count
			TaskReceipt refused = tasks.enqueue("resize", "fail", TaskOptions.queue("media"));
			await().until(() -> tasks.deadLetter(refused.id()) != null);
			assertThat(dead(tasks, "media")).isEqualTo(18);
			assertThat(dead(tasks, "default")).isEqualTo(28);

			assertThat(tasks.purgeDeadLetters()).isEqualTo(46);
			assertThat(tasks.stats()).extracting(TaskQueueStats::dead).containsOnly(0L);
		});
	}

	@Test
	void everyDeadTaskIsKeptOnItsOwnSubjectAndOneWithoutAValidIdUnderItsSequence() {
		this.contextRunner.withBean(Shop.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt refused = tasks.enqueue("charge", "fail");
			await().until(() -> tasks.deadLetter(refused.id()) != null);
			MessageInfo letter = jsm(context).getLastMessage(this.namespace + "_TASKS_DEAD",
					this.namespace + ".natsboot.tasks-dead.default." + refused.id());
			assertThat(letter.getHeaders().getFirst(TaskWireFormat.ID_HEADER)).isEqualTo(refused.id());
			assertThat(letter.getHeaders().getFirst(DeadLetterPublishingRecoverer.EXCEPTION_HEADER))
				.isEqualTo(NonRetryableTaskException.class.getName());

			// written by another client, with an id no subject can carry
			PublishAck stored = context.getBean(Connection.class)
				.jetStream()
				.publish(this.namespace + ".natsboot.tasks.default.normal.charge",
						new Headers().put(TaskWireFormat.ID_HEADER, "order 7*")
							.put(TaskWireFormat.TYPE_HEADER, "charge"),
						"paid".getBytes());
			await().until(() -> tasks.deadLetter("order 7*") != null);
			assertThat(tasks.deadLetter("order 7*").exceptionMessage()).contains("Task id 'order 7*' is invalid");
			MessageInfo bySequence = jsm(context).getLastMessage(this.namespace + "_TASKS_DEAD",
					this.namespace + ".natsboot.tasks-dead.default.seq-" + stored.getSeqno());
			assertThat(bySequence.getHeaders().getFirst(TaskWireFormat.ID_HEADER)).isEqualTo("order 7*");
			assertThat(dead(tasks, "default")).isEqualTo(2);
		});
	}

	@Test
	void theRecovererTheWorkersShareFilesEachDeadLetterUnderItsTaskIdOrItsSequence() {
		// the pull worker's own failure handling and its max-deliveries backstop
		// dead-letter through the same recoverer as the dispatcher, naming the queue's
		// subject
		this.contextRunner.run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			assertThat(tasks.stats()).isNotEmpty();
			NatsTemplate template = context.getBean(NatsTemplate.class);
			TaskDeadLetterRecoverer recoverer = new TaskDeadLetterRecoverer(template.getConnection(),
					template.getJetStreamOptions(), FailoverRetry.NONE);
			String queueSubject = this.namespace + ".natsboot.tasks-dead.default";
			String taskSubject = this.namespace + ".natsboot.tasks.default.normal.charge";
			recoverer.recover(new DeadLetter(taskSubject, "a".getBytes(),
					new Headers().put(TaskWireFormat.ID_HEADER, "hung-1").put(TaskWireFormat.TYPE_HEADER, "charge"),
					this.namespace + "_TASKS", 41, this.namespace + "_tasks_default_normal", 1000, null,
					"io.natsboot.jetstream.MaxDeliveriesExceeded", "never returned"), queueSubject);
			recoverer.recover(new DeadLetter(taskSubject, "b".getBytes(), null, this.namespace + "_TASKS", 42,
					this.namespace + "_tasks_default_normal", 3, null, "java.lang.IllegalStateException", "broken"),
					queueSubject);
			assertThat(tasks.deadLetter("hung-1").exceptionMessage()).isEqualTo("never returned");
			assertThat(tasks.deadLetter("seq-42").exceptionMessage()).isEqualTo("broken");
			assertThat(jsm(context).getLastMessage(this.namespace + "_TASKS_DEAD", queueSubject + ".seq-42").getSeq())
				.isEqualTo(tasks.deadLetter("seq-42").sequence());
		});
	}

	@Test
	void deadLettersArePagedNewestFirstPastRemovedOnesAndByQueueAndOneQueueIsPurgedAlone() {
		this.contextRunner.run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Connection connection = context.getBean(Connection.class);
			assertThat(tasks.stats()).isNotEmpty();
			// in this order in the stream: p-0 ... p-24, then m-0 ... m-4
			for (int i = 0; i < 25; i++) {
				publishDeadLetter(connection, "default", "charge", "p-" + i, true).get(10, TimeUnit.SECONDS);
			}
			for (int i = 0; i < 5; i++) {
				publishDeadLetter(connection, "media", "resize", "m-" + i, true).get(10, TimeUnit.SECONDS);
			}
			DeadTaskPage first = tasks.deadLetters(null, 0, 10);
			assertThat(first.tasks()).extracting(DeadTask::id)
				.containsExactly("m-4", "m-3", "m-2", "m-1", "m-0", "p-24", "p-23", "p-22", "p-21", "p-20");
			assertThat(first.total()).isEqualTo(30);
			assertThat(first.next()).isNotNull();
			assertThat(tasks.deleteDeadLetter("p-15")).isTrue();
			assertThat(tasks.deleteDeadLetter("p-15")).isFalse();
			assertThat(tasks.deadLetter("p-15")).isNull();
			DeadTaskPage second = tasks.deadLetters(null, first.next(), 10);
			assertThat(second.tasks()).extracting(DeadTask::id)
				.containsExactly("p-19", "p-18", "p-17", "p-16", "p-14", "p-13", "p-12", "p-11", "p-10", "p-9");
			DeadTaskPage last = tasks.deadLetters(null, second.next(), 10);
			assertThat(last.tasks()).extracting(DeadTask::id).hasSize(9).endsWith("p-0");
			assertThat(last.next()).isNull();

			DeadTaskPage media = tasks.deadLetters("media", 0, 3);
			assertThat(media.tasks()).extracting(DeadTask::id).containsExactly("m-4", "m-3", "m-2");
			assertThat(media.total()).isEqualTo(5);
			assertThat(tasks.deadLetters("media", media.next(), 3).tasks()).extracting(DeadTask::id)
				.containsExactly("m-1", "m-0");

			assertThat(tasks.purgeDeadLetters("media")).isEqualTo(5);
			assertThat(tasks.deadLetters("media", 0, 10).tasks()).isEmpty();
			assertThat(dead(tasks, "default")).isEqualTo(24);
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.deadLetters(null, 0, 0))
				.withMessageContaining("1 to 500");
			// a wildcard would reach other queues' dead letters
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.purgeDeadLetters("*"))
				.withMessageContaining("Task queue '*' is invalid");
			assertThatIllegalArgumentException().isThrownBy(() -> tasks.deadLetters("media.x", 0, 10))
				.withMessageContaining("Task queue 'media.x' is invalid");
			assertThat(dead(tasks, "default")).isEqualTo(24);
		});
	}

	@Test
	void theCensusCountsTasksByQueueTypeAndStateAndListsTheRunningOnesWithTheirProgress() {
		this.contextRunner.withBean(Shop.class).withBean(Slow.class).run((context) -> {
			TaskQueue tasks = context.getBean(TaskQueue.class);
			Slow slow = context.getBean(Slow.class);
			List<TaskReceipt> charged = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				charged.add(tasks.enqueue("charge", "card-" + i));
			}
			TaskReceipt refused = tasks.enqueue("charge", "fail");
			tasks.enqueue("resize", "later", TaskOptions.queue("media").delay(Duration.ofHours(1)));
			TaskReceipt running = tasks.enqueue("slow", "x");
			for (TaskReceipt receipt : charged) {
				tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(10));
			}
			await().until(() -> tasks.deadLetter(refused.id()) != null);
			assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
			await().until(() -> tasks.status(running.id()).progress() == 40);

			TaskCensus census = tasks.census(100);
			assertThat(census.read()).isEqualTo(6);
			assertThat(census.truncated()).isFalse();
			assertThat(census.types()).extracting(TaskCensus.TypeCounts::queue, TaskCensus.TypeCounts::type)
				.containsExactly(org.assertj.core.api.Assertions.tuple("default", "charge"),
						org.assertj.core.api.Assertions.tuple("default", "slow"),
						org.assertj.core.api.Assertions.tuple("media", "resize"));
			assertThat(census.types().get(0).counts()).containsEntry(TaskState.SUCCEEDED, 3L)
				.containsEntry(TaskState.DEAD, 1L)
				.containsEntry(TaskState.PENDING, 0L)
				.hasSize(TaskState.values().length);
			assertThat(census.types().get(1).counts()).containsEntry(TaskState.RUNNING, 1L);
			assertThat(census.types().get(2).counts()).containsEntry(TaskState.SCHEDULED, 1L);
			assertThat(census.running()).singleElement().satisfies((status) -> {
				assertThat(status.id()).isEqualTo(running.id());
				assertThat(status.progress()).isEqualTo(40);
				assertThat(status.progressNote()).isEqualTo("half way");
			});

			TaskCensus cut = tasks.census(2);
			assertThat(cut.read()).isEqualTo(2);
			assertThat(cut.truncated()).isTrue();
			slow.release.countDown();
			assertThat(tasks.awaitResult(running.id(), String.class, Duration.ofSeconds(10))).isEqualTo("slow done");
		});
	}

	private static long dead(TaskQueue tasks, String queue) {
		return tasks.stats().stream().filter((stats) -> stats.queue().equals(queue)).findFirst().orElseThrow().dead();
	}

	/**
	 * Publishes a dead letter with the headers the recoverer writes: on the task's own
	 * subject, or as an earlier version did, on its queue's subject.
	 */
	private CompletableFuture<PublishAck> publishDeadLetter(Connection connection, String queue, String type, String id,
			boolean ownSubject) {
		Headers headers = new Headers().put(TaskWireFormat.ID_HEADER, id)
			.put(TaskWireFormat.TYPE_HEADER, type)
			.put(DeadLetterPublishingRecoverer.EXCEPTION_HEADER, IllegalStateException.class.getName())
			.put(DeadLetterPublishingRecoverer.MESSAGE_HEADER, "declined")
			.put(DeadLetterPublishingRecoverer.ATTEMPTS_HEADER, "3")
			.put(DeadLetterPublishingRecoverer.SUBJECT_HEADER,
					this.namespace + ".natsboot.tasks." + queue + ".normal." + type)
			.put(DeadLetterPublishingRecoverer.STREAM_HEADER, this.namespace + "_TASKS")
			.put(DeadLetterPublishingRecoverer.SEQUENCE_HEADER, "1")
			.put(DeadLetterPublishingRecoverer.CONSUMER_HEADER, this.namespace + "_tasks_" + queue + "_normal")
			.put(DeadLetterPublishingRecoverer.FAILED_AT_HEADER, Instant.now().toString());
		String subject = this.namespace + ".natsboot.tasks-dead." + queue + (ownSubject ? "." + id : "");
		JetStream jetStream;
		try {
			jetStream = connection.jetStream();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return jetStream.publishAsync(subject, headers, ("card of " + id).getBytes());
	}

	private static JetStreamManagement jsm(ApplicationContext context) throws Exception {
		return context.getBean(Connection.class).jetStreamManagement();
	}

	/** A handler that reports progress and then waits to be released. */
	static class Slow {

		final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

		final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

		@TaskHandler("slow")
		String slow(String payload, TaskContext task) throws InterruptedException {
			task.progress(40, "half way");
			this.started.countDown();
			this.release.await(30, TimeUnit.SECONDS);
			return "slow done";
		}

	}

	/** Handlers in two queues that refuse the payload {@code fail}. */
	static class Shop {

		@TaskHandler("charge")
		String charge(String card, TaskContext task) {
			return run(card, task);
		}

		@TaskHandler(value = "resize", queue = "media")
		String resize(String image, TaskContext task) {
			return run(image, task);
		}

		private static String run(String payload, TaskContext task) {
			if (payload.equals("fail")) {
				throw new NonRetryableTaskException("refused for good");
			}
			return "done " + task.id();
		}

	}

}
