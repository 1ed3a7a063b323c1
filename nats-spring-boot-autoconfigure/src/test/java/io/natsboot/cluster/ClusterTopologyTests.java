package io.natsboot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskWorkerRegistry;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * natsboot on a 3-node JetStream cluster: every stream and bucket it creates has the
 * configured replicas, too many replicas fail clearly, and a durable listener, the key
 * store and request-reply carry on when a node dies. Each test has a namespace of its
 * own, and brings back every node it killed.
 */
class ClusterTopologyTests extends ClusterTestSupport {

	private final ApplicationContextRunner contextRunner = contextRunner(NatsAutoConfiguration.class,
			NatsTaskQueueAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class);

	ClusterTopologyTests() {
		super("ct");
	}

	@Test
	void everyStreamAndBucketNatsbootCreatesHasTheConfiguredReplicas() {
		this.contextRunner.withUserConfiguration(Orders.class, Tasks.class).run((context) -> {
			context.getBean(KeyStoreOperations.class).store("probe", "value");
			context.getBean(TaskQueue.class).enqueue("noop", "x");
			String ns = this.namespace;
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				for (String stream : List.of(ns + "_ORDERS", ns + "_DEAD_LETTERS", ns + "_TASKS", ns + "_TASKS_DEAD",
						"KV_" + ns + "_TASK_STATUS", "KV_" + ns + "_TASK_RESULTS", "KV_keystore")) {
					assertThat(cluster.replicasOf(stream)).as(stream).isEqualTo(3);
				}
			});
		});
	}

	@Test
	void replicasLargerThanTheClusterFailStartUpNamingTheStreamAndTheClusterSize() {
		this.contextRunner.withUserConfiguration(Tasks.class)
			.withPropertyValues("nats.task-queue.replicas=5")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable refusal = context.getStartupFailure();
				while (refusal != null && !(refusal instanceof NatsJetStreamException)) {
					refusal = refusal.getCause();
				}
				assertThat(refusal).as("the refusal in %s", chain(context.getStartupFailure()))
					.hasMessageContaining("Stream '" + this.namespace + "_TASKS' cannot have 5 replicas")
					.hasMessageContaining("has 3 servers")
					.hasMessageContaining("nats.task-queue.replicas");
			});
	}

	@Test
	void replicasLargerThanTheClusterLeaveAnApplicationStartedWithWaitDownWithTheReason() {
		this.contextRunner.withUserConfiguration(Tasks.class)
			.withPropertyValues("nats.task-queue.replicas=5", "nats.startup=wait")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TaskWorkerRegistry workers = context.getBean(TaskWorkerRegistry.class);
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					PullWorkerStatus status = workers.getWorkerStatus("default");
					assertThat(status).isNotNull();
					assertThat(status.healthy()).isFalse();
					assertThat(status.problem())
						.contains("Stream '" + this.namespace + "_TASKS' cannot have 5 replicas")
						.contains("has 3 servers");
				});
			});
	}

	@Test
	void aDurableListenerHandlesEveryMessageWhenItsConsumerLeaderAndDeadLetterStreamLoseANodeAndIsNeverUpWhileStalled() {
		this.contextRunner.withUserConfiguration(Orders.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			Orders orders = context.getBean(Orders.class);
			JetStreamListenerContainer container = (JetStreamListenerContainer) context
				.getBean(NatsListenerEndpointRegistry.class)
				.getListenerContainer("orders");
			for (int i = 0; i < 500; i++) {
				template.jetStream().publish("orders.created", "o" + i);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> orders.handled.size() >= 100);

			NatsServerProcess leader = cluster.leaderOf(this.namespace + "_ORDERS");
			kill(leader);
			NatsServerProcess deadLetterLeader = cluster.leaderOf(this.namespace + "_DEAD_LETTERS");
			if (deadLetterLeader != leader) {
				// two of three: no quorum, so nothing can progress
				kill(deadLetterLeader);
				AtomicBoolean everUp = new AtomicBoolean();
				await().atMost(Duration.ofSeconds(60)).until(() -> !container.status().healthy());
				PullWorkerStatus stalled = container.status();
				assertThat(stalled.problem()).isNotBlank();
				int before = orders.handled.size();
				for (int i = 0; i < 20; i++) {
					Thread.sleep(250);
					everUp.compareAndSet(false, container.status().healthy() && orders.handled.size() == before);
				}
				assertThat(everUp).as("UP while stalled").isFalse();
				bringBack(deadLetterLeader);
			}

			// o42 is dead-lettered
			await().atMost(Duration.ofSeconds(90)).until(() -> orders.handled.size() == 499);
			for (int i = 500; i < 600; i++) {
				publishThroughElection(template, "o" + i);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> orders.handled.size() == 599);
			await().atMost(Duration.ofSeconds(30)).until(() -> container.status().healthy());
			assertThat(orders.poisonRuns.get()).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void aDeadLetterStreamOnALostNodeNeverStopsConsumptionAndThePoisonMessageIsKeptUntilItIsBack() {
		// the user's stream is R3, the dead letters only R1 (nats.jetstream.replicas=1)
		this.contextRunner.withUserConfiguration(ReplicatedOrders.class)
			.withPropertyValues("nats.jetstream.replicas=1")
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				ReplicatedOrders orders = context.getBean(ReplicatedOrders.class);
				template.jetStream().publish("orders.created", "o0");
				await().atMost(Duration.ofSeconds(30)).until(() -> orders.handled.contains("o0"));
				assertThat(cluster.replicasOf(this.namespace + "_DEAD_LETTERS")).isEqualTo(1);

				NatsServerProcess deadLetterNode = cluster.leaderOf(this.namespace + "_DEAD_LETTERS");
				kill(deadLetterNode);
				for (int i = 1; i < 200; i++) {
					publishThroughElection(template, "o" + i);
				}
				// all but o42
				await().atMost(Duration.ofSeconds(90)).until(() -> orders.handled.size() == 199);
				assertThat(orders.poisonRuns.get()).as("o42 kept and tried again").isGreaterThanOrEqualTo(2);

				bringBack(deadLetterNode);
				await().atMost(Duration.ofSeconds(60))
					.ignoreExceptions()
					.until(() -> template.jetStream().streamInfo("DEAD_LETTERS").getStreamState().getMsgCount() == 1);
			});
	}

	@Test
	void anR3KeyStoreKeepsEveryKeyAndWriteWhenTheBucketLeaderDies() {
		// the bucket's election takes seconds, but on two loaded cores now and then
		// longer than the 30 s default; what this test checks is that the writes ride it
		// out
		this.contextRunner.withPropertyValues("nats.jetstream.failover-timeout=90s").run((context) -> {
			KeyStoreOperations store = context.getBean(KeyStoreOperations.class).forBucket(this.namespace + "-kv");
			for (int i = 0; i < 200; i++) {
				store.store("item:" + i, "v" + i);
			}
			kill(cluster.leaderOf("KV_" + this.namespace + "-kv"));
			for (int i = 0; i < 200; i++) {
				KeyMetadata updated = store.store("item:" + i, "w" + i);
				assertThat(updated.version()).as("item:" + i).isEqualTo(2);
			}
			assertThat(store.compareAndSet("item:0", "x0", 2)).isTrue();
			assertThat(store.compareAndSet("item:0", "y0", 2)).isFalse();
			for (int i = 1; i < 200; i++) {
				assertThat(store.retrieve("item:" + i, String.class, false)).isEqualTo("w" + i);
			}
			assertThat(store.retrieve("item:0", String.class, false)).isEqualTo("x0");
			assertThat(store.listKeys("item:*")).hasSize(200);
		});
	}

	@Test
	void requestReplyAnswersAfterTheConnectedNodeDies() {
		this.contextRunner.withUserConfiguration(Echo.class).run((context) -> {
			NatsTemplate template = context.getBean(NatsTemplate.class);
			assertThat(template.requestAndConvert("echo", "before", String.class, Duration.ofSeconds(2)))
				.isEqualTo("echo before");
			Connection connection = template.getConnection();
			NatsServerProcess connected = cluster.nodeOf(connection);
			kill(connected);
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(
						template.requestAndConvert("echo", "after", String.class, Duration.ofSeconds(1)))
					.isEqualTo("echo after"));
			assertThat(cluster.nodeOf(connection)).isNotSameAs(connected);
		});
	}

	private static String chain(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append("\n  ").append(cause);
		}
		return messages.toString();
	}

	private static void publishThroughElection(NatsTemplate template, String payload) {
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> template.jetStream().publish("orders.created", payload) != null);
	}

	static class Orders {

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		final AtomicInteger poisonRuns = new AtomicInteger();

		@Bean
		NatsStreamDefinition ordersStream() {
			return NatsStreamDefinition.of("ORDERS", "orders.>");
		}

		@NatsListener(id = "orders", subject = "orders.>", stream = "ORDERS", durable = "order-handler",
				maxDeliver = "2", backoff = "100ms")
		void handle(String order) {
			if (order.equals("o42")) {
				this.poisonRuns.incrementAndGet();
				throw new IllegalStateException("poison order");
			}
			this.handled.add(order);
		}

	}

	static class ReplicatedOrders {

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		final AtomicInteger poisonRuns = new AtomicInteger();

		@Bean
		NatsStreamDefinition replicatedOrdersStream() {
			return new NatsStreamDefinition(StreamConfiguration.builder()
				.name("ORDERS")
				.subjects("orders.>")
				.storageType(StorageType.File)
				.replicas(3)
				.build());
		}

		@NatsListener(subject = "orders.>", stream = "ORDERS", durable = "replicated-handler", maxDeliver = "2",
				backoff = "100ms")
		void handle(String order) {
			if (order.equals("o42")) {
				this.poisonRuns.incrementAndGet();
				throw new IllegalStateException("poison order");
			}
			this.handled.add(order);
		}

	}

	static class Tasks {

		@TaskHandler("noop")
		void noop(String payload) {
		}

	}

	static class Echo {

		@NatsListener(subject = "echo")
		String echo(String text) {
			return "echo " + text;
		}

	}

}
