package io.natsboot.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.actuate.NatsListenersHealthIndicator;
import io.natsboot.annotation.NatsListener;
import io.natsboot.annotation.TaskHandler;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsOperations;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsSubscription;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.StoredObject;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.jetstream.PullWorkerStatus;
import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.KeyWatch;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The least-privilege users the README documents, against a server configured with
 * exactly that block ({@code permissions/tenant-a.conf}, which the README must contain
 * verbatim): every feature works for {@code tenant-a} without a single violation, and
 * {@code tenant-b} is refused tenant-a's subjects with a {@link NatsPermissionException}
 * naming the subject.
 */
class NatsPermissionsTests {

	static final String CONFIG = "permissions/tenant-a.conf";

	static final String ACCOUNTS = "permissions/accounts.conf";

	static NatsServerProcess server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsKeyStoreAutoConfiguration.class,
				NatsTaskQueueAutoConfiguration.class))
		.withPropertyValues("nats.startup=fail", "nats.drain-timeout=2s", "nats.request-timeout=2s",
				"nats.jetstream.api-timeout=2s", "nats.keystore.cache.enabled=false");

	@BeforeAll
	static void start() throws IOException {
		server = NatsServerProcess.builder().config(config()).start();
	}

	@AfterAll
	static void stop() throws IOException {
		server.close();
	}

	/**
	 * The user entry of tenant-a exactly as the README shows it.
	 */
	static String tenantAUser() throws IOException {
		return new ClassPathResource(CONFIG).getContentAsString(StandardCharsets.UTF_8);
	}

	/**
	 * The README's block, and tenant-b's entry made from tenant-a's by renaming.
	 */
	static String config() throws IOException {
		String tenantA = tenantAUser();
		// tenant-c may set up its durable listener but not pull from it
		String tenantC = tenantA.replace("tenant-a", "tenant-c")
			.replace("\"$JS.API.CONSUMER.MSG.NEXT.tenant-c_ORDERS.>\", ", "");
		return "authorization {\n  users: [\n" + tenantA + tenantA.replace("tenant-a", "tenant-b") + tenantC
				+ "  ]\n}\n";
	}

	private ApplicationContextRunner tenantA() {
		return this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.namespace=tenant-a",
				"nats.inbox-prefix=_INBOX_tenant-a", "nats.username=tenant-a", "nats.password=tenant-a-secret");
	}

	private ApplicationContextRunner tenantB() {
		return this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.namespace=tenant-b",
				"nats.inbox-prefix=_INBOX_tenant-b", "nats.username=tenant-b", "nats.password=tenant-b-secret");
	}

	@Test
	void readmeShowsTheVeryConfigurationTheseTestsRunWith() throws IOException {
		Path readme = Path.of("..", "README.md");
		String text = Files.readString(readme, StandardCharsets.UTF_8);
		assertThat(text).contains("authorization {\n  users: [\n" + tenantAUser() + "  ]\n}\n");
		assertThat(text).contains(new ClassPathResource(ACCOUNTS).getContentAsString(StandardCharsets.UTF_8));
	}

	@Test
	void everyFeatureWorksForTenantAWithoutAnyViolation() throws Exception {
		runEveryFeature(tenantA());
		assertThat(violations(server, "tenant-a")).isEmpty();
	}

	@Test
	void everyFeatureWorksInAnAccountOfItsOwnAndSeesNoOtherTenantsStream() throws Exception {
		String accounts = new ClassPathResource(ACCOUNTS).getContentAsString(StandardCharsets.UTF_8);
		try (NatsServerProcess isolated = NatsServerProcess.builder().config(accounts).start()) {
			ApplicationContextRunner tenantB = this.contextRunner.withPropertyValues("nats.servers=" + isolated.url(),
					"nats.namespace=tenant-b", "nats.username=tenant-b", "nats.password=tenant-b-secret");
			tenantB.run((context) -> context.getBean(NatsTemplate.class)
				.jetStream()
				.createOrUpdateStream(io.nats.client.api.StreamConfiguration.builder().name("SECRETS").build()));
			runEveryFeature(this.contextRunner.withPropertyValues("nats.servers=" + isolated.url(),
					"nats.namespace=tenant-a", "nats.username=tenant-a", "nats.password=tenant-a-secret"));
			tenantB.run((
					context) -> assertThat(context.getBean(NatsTemplate.class).withoutNamespace().jetStream().streams())
						.extracting((info) -> info.getConfiguration().getName())
						.contains("tenant-b_SECRETS")
						.noneMatch((name) -> name.contains("tenant-a")));
			assertThat(violations(isolated, "tenant-a")).isEmpty();
		}
	}

	private void runEveryFeature(ApplicationContextRunner tenant) {
		tenant.withUserConfiguration(TenantAFeatures.class).run((context) -> {
			assertThat(context).hasNotFailed();
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			TenantAFeatures features = context.getBean(TenantAFeatures.class);
			// publish and subscribe
			Queue<String> received = new ConcurrentLinkedQueue<>();
			NatsSubscription subscription = nats.subscribe("news.*",
					(message) -> received.add(message.payloadAs(String.class)));
			nats.publish("news.today", "hello");
			nats.flush(Duration.ofSeconds(5));
			await().until(() -> received.contains("hello"));
			subscription.unsubscribe();
			// request-reply through a @NatsListener
			assertThat(nats.requestAndConvert("greet", "ada", String.class, Duration.ofSeconds(5)))
				.isEqualTo("hello ada");
			// a durable listener with a dead letter
			nats.jetStream().publish("orders.new", "good");
			nats.jetStream().publish("orders.new", "poison");
			await().until(() -> features.orders.contains("good") && features.poisonAttempts.get() == 2);
			await().until(() -> nats.jetStream().streamInfo("DEAD_LETTERS").getStreamState().getMsgCount() == 1);
			// a task with its result
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt receipt = tasks.enqueue("shout", "quiet");
			assertThat(tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(20))).isEqualTo("QUIET");
			assertThat(tasks.status(receipt.id())).isNotNull();
			TaskReceipt later = tasks.enqueue("shout", "later",
					io.natsboot.task.TaskOptions.delay(Duration.ofHours(1)));
			assertThat(tasks.cancel(later.id())).isTrue();
			TaskReceipt failing = tasks.enqueue("shout", "fail", io.natsboot.task.TaskOptions.maxAttempts(1));
			await().until(() -> tasks.deadLetters().size() == 1);
			tasks.requeue(failing.id());
			await().until(() -> tasks.deadLetters().size() == 1);
			assertThat(tasks.purgeDeadLetters()).isEqualTo(1);
			assertThat(tasks.stats()).isNotEmpty();
			assertThat(nats.health(true).up()).isTrue();
			// the key store
			KeyStoreTemplate keys = context.getBean(KeyStoreTemplate.class);
			Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
			try (KeyWatch watch = keys.watch("user:*", events::add)) {
				KeyMetadata stored = keys.store("user:1", "Ada");
				assertThat(keys.retrieve("user:1", String.class)).isEqualTo("Ada");
				assertThat(keys.listKeys("user:*")).containsExactly("user:1");
				assertThat(keys.compareAndSet("user:1", "Grace", stored.version())).isTrue();
				assertThat(keys.retrieve("user:1", String.class)).isEqualTo("Grace");
				assertThat(keys.delete("user:1")).isTrue();
				await().until(() -> events.stream().anyMatch((event) -> event.type() == KeyEvent.Type.DELETE));
			}
			// the object store
			nats.objectStore("files").put("report.txt", "figures".getBytes(StandardCharsets.UTF_8));
			StoredObject object = nats.objectStore("files").get("report.txt");
			assertThat(new String(object.data(), StandardCharsets.UTF_8)).isEqualTo("figures");
			assertThat(nats.objectStore("files").list()).hasSize(1);
			assertThat(nats.objectStore("files").delete("report.txt")).isTrue();
			byte[] large = new byte[5 * 1024 * 1024];
			nats.objectStore("files").put("large.bin", large);
			assertThat(nats.objectStore("files").get("large.bin").data()).hasSize(large.length);
		});
		// a second start finds everything in place and updates what it owns
		tenant.withUserConfiguration(TenantAFeatures.class).run((context) -> {
			assertThat(context).hasNotFailed();
			TaskQueue tasks = context.getBean(TaskQueue.class);
			TaskReceipt receipt = tasks.enqueue("shout", "again");
			assertThat(tasks.awaitResult(receipt.id(), String.class, Duration.ofSeconds(20))).isEqualTo("AGAIN");
			KeyStoreTemplate keys = context.getBean(KeyStoreTemplate.class);
			keys.store("user:2", "Alan");
			assertThat(keys.retrieve("user:2", String.class)).isEqualTo("Alan");
			keys.clearCache();
		});
	}

	@Test
	void anOrdinaryTimeoutOfTenantAStaysATimeout() {
		tenantA().run((context) -> {
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			// a subscriber that never answers: allowed everywhere, so no permission is to
			// blame
			NatsSubscription silent = nats.subscribe("silent", (message) -> {
			});
			assertThatExceptionOfType(io.natsboot.core.NatsRequestTimeoutException.class)
				.isThrownBy(() -> nats.request("silent", "anyone?", Duration.ofMillis(500)));
			silent.unsubscribe();
		});
	}

	@Test
	void tenantBMayNotRequestFromTenantA() {
		tenantB().run((context) -> {
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> nats.withoutNamespace().request("tenant-a.greet", "eve", Duration.ofSeconds(1)))
				.satisfies((ex) -> {
					assertThat(ex.getSubject()).isEqualTo("tenant-a.greet");
					assertThat(ex.getOperation()).isEqualTo(NatsPermissionException.Operation.REQUEST);
					assertThat(ex.getMessage()).contains("'tenant-a.greet'").contains("publish");
				});
		});
	}

	@Test
	void tenantBMayNotSubscribeToTenantA() {
		tenantB().run((context) -> {
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> nats.withoutNamespace().subscribe("tenant-a.news.*", (message) -> {
				}))
				.satisfies((ex) -> {
					assertThat(ex.getSubject()).isEqualTo("tenant-a.news.*");
					assertThat(ex.getDenied()).isEqualTo(NatsPermissionException.Denied.SUBSCRIBE);
				});
		});
	}

	@Test
	void aNatsListenerOfTenantBOnTenantASubjectsIsReportedDownByHealth() {
		tenantB().withConfiguration(AutoConfigurations.of(NatsHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Eavesdropper.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NatsListenersHealthIndicator health = context.getBean(NatsListenersHealthIndicator.class);
				await().untilAsserted(() -> {
					Health down = health.health(true);
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat(String.valueOf(down.getDetails().get("eavesdropper"))).contains("subscribed=false")
						.contains("cannot subscribe to 'tenant-a.greet'");
				});
				assertThat(context.getBean(NatsListenerEndpointRegistry.class)
					.getListenerContainer("eavesdropper")
					.isSubscribed()).isFalse();
			});
	}

	@Test
	void aDurableListenerWhosePullsAreRefusedIsDownWithTheReasonNotIdle() {
		this.contextRunner
			.withPropertyValues("nats.servers=" + server.url(), "nats.namespace=tenant-c",
					"nats.inbox-prefix=_INBOX_tenant-c", "nats.username=tenant-c", "nats.password=tenant-c-secret")
			.withUserConfiguration(RefusedPuller.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JetStreamListenerContainer container = (JetStreamListenerContainer) context
					.getBean(NatsListenerEndpointRegistry.class)
					.getListenerContainer("refused-puller");
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					PullWorkerStatus status = container.status();
					assertThat(status.healthy()).isFalse();
					assertThat(status.problem()).contains("refuses this user's pulls")
						.contains("$JS.API.CONSUMER.MSG.NEXT.tenant-c_ORDERS");
				});
			});
	}

	@Test
	void aDeniedPublishOfTenantBIsReportedByTheFlushAndRefusedTheNextTime() {
		tenantB().run((context) -> {
			NatsOperations raw = context.getBean(NatsTemplate.class).withoutNamespace();
			raw.publish("tenant-a.news.fake", "spoof");
			assertThatExceptionOfType(NatsPermissionException.class).isThrownBy(() -> raw.flush(Duration.ofSeconds(5)))
				.satisfies((ex) -> assertThat(ex.getSubject()).isEqualTo("tenant-a.news.fake"));
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> raw.publish("tenant-a.news.fake", "again"))
				.withMessageContaining("nothing was sent");
		});
	}

	@Test
	void tenantBMayNotUseTenantAStreams() {
		tenantB().run((context) -> {
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> nats.withoutNamespace().jetStream().streamInfo("tenant-a_TASKS"))
				.satisfies((ex) -> {
					assertThat(ex.getSubject()).isEqualTo("$JS.API.STREAM.INFO.tenant-a_TASKS");
					assertThat(ex.getOperation()).isEqualTo(NatsPermissionException.Operation.JETSTREAM_API);
				});
		});
	}

	@Test
	void tenantBMayNotWatchTenantAKeys() {
		tenantB().withPropertyValues("nats.keystore.namespace=tenant-a").run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof NatsPermissionException)) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOfSatisfying(NatsPermissionException.class, (ex) -> {
				assertThat(ex.getSubject()).startsWith("$JS.API.CONSUMER.CREATE.KV_keystore.")
					.endsWith(".$KV.keystore.tenant-a.>");
				assertThat(ex.getOperation()).isEqualTo(NatsPermissionException.Operation.KEY_STORE);
				assertThat(ex.getMessage()).contains("watch bucket 'keystore'");
			});
		});
	}

	@Test
	void tenantBMayNotUseTenantAObjects() {
		tenantB().run((context) -> {
			NatsTemplate nats = context.getBean(NatsTemplate.class);
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> nats.withoutNamespace().objectStore("tenant-a_files").list())
				.satisfies((ex) -> assertThat(ex.getSubject()).isEqualTo("$JS.API.STREAM.INFO.OBJ_tenant-a_files"));
		});
	}

	@Test
	void tenantBMayNotUseTenantABuckets() {
		tenantB().run((context) -> {
			KeyStoreTemplate keys = context.getBean(KeyStoreTemplate.class);
			assertThatExceptionOfType(NatsPermissionException.class)
				.isThrownBy(() -> keys.forBucket("tenant-a_TASK_STATUS").retrieve("some-task", String.class))
				.satisfies((ex) -> {
					assertThat(ex.getSubject()).isEqualTo("$JS.API.STREAM.INFO.KV_tenant-a_TASK_STATUS");
					assertThat(ex.getOperation()).isEqualTo(NatsPermissionException.Operation.KEY_STORE);
					assertThat(ex.getMessage()).contains("tenant-a_TASK_STATUS");
				});
		});
	}

	/**
	 * The server's log lines of refusals ("Publish Violation", "Subscription Violation")
	 * of a user; tenant-b's tests cause their own on the same server.
	 */
	static List<String> violations(NatsServerProcess server, String user) throws IOException {
		return Files.readAllLines(server.logFile(), StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.contains("Violation") && line.contains("User \"" + user + "\""))
			.toList();
	}

	static class RefusedPuller {

		@Bean
		NatsStreamDefinition ordersStream() {
			return NatsStreamDefinition.of("ORDERS", "orders.>");
		}

		@NatsListener(id = "refused-puller", subject = "orders.>", stream = "ORDERS", durable = "puller")
		void handle(String order) {
		}

	}

	static class Eavesdropper {

		@NatsListener(id = "eavesdropper", subject = "tenant-a.greet", namespaced = false)
		void listen(String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantAFeatures {

		final Queue<String> orders = new ConcurrentLinkedQueue<>();

		final AtomicInteger poisonAttempts = new AtomicInteger();

		@Bean
		NatsStreamDefinition ordersStream() {
			return NatsStreamDefinition.of("ORDERS", "orders.>");
		}

		@NatsListener(subject = "greet")
		String greet(String name) {
			return "hello " + name;
		}

		@NatsListener(id = "billing", subject = "orders.>", stream = "ORDERS", durable = "billing", maxDeliver = "2",
				backoff = "50ms")
		void bill(String order) {
			if (order.equals("poison")) {
				this.poisonAttempts.incrementAndGet();
				throw new IllegalArgumentException("poison is not an order");
			}
			this.orders.add(order);
		}

		@TaskHandler("shout")
		String shout(String text) {
			if (text.equals("fail")) {
				throw new IllegalStateException("cannot shout that");
			}
			return text.toUpperCase(java.util.Locale.ROOT);
		}

	}

}
