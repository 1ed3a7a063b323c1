package io.natsboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.natsboot.core.NatsTemplateTestSupport.settle;
import static io.natsboot.core.NatsTemplateTestSupport.withTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Publish and subscribe scenarios of the original pub/sub client, against a real server.
 */
@WithNatsServer(jetStream = false)
class NatsTemplatePubSubTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void namespacesIsolateApplicationsOnOneServer() {
		withTemplate(url, "app1", (app1) -> withTemplate(url, "app2", (app2) -> {
			List<NatsMessage> seenByApp1 = new CopyOnWriteArrayList<>();
			List<NatsMessage> seenByApp2 = new CopyOnWriteArrayList<>();
			app1.subscribe("events.user.login", seenByApp1::add);
			app2.subscribe("events.user.login", seenByApp2::add);
			settle(app1);
			settle(app2);

			app1.publish("events.user.login", "User 123 logged in");

			await().until(() -> seenByApp1.size() == 1);
			NatsMessage message = seenByApp1.get(0);
			assertThat(message.subject()).isEqualTo("app1.events.user.login");
			assertThat(message.originalSubject()).isEqualTo("events.user.login");
			assertThat(message.payloadAsString()).isEqualTo("User 123 logged in");
			assertThat(message.subscriptionId()).isNotNull();
			assertThat(message.timestamp()).isNotNull();
			settle(app2);
			assertThat(seenByApp2).isEmpty();
			assertThat(app1.namespace()).isEqualTo("app1");
		}));
	}

	@Test
	void singleTokenWildcardMatchesOneTokenAndMultiTokenWildcardMatchesTheRest() {
		withTemplate(url, "monitoring", (template) -> {
			List<String> star = new CopyOnWriteArrayList<>();
			List<String> greater = new CopyOnWriteArrayList<>();
			template.subscribe("events.*", (message) -> star.add(message.originalSubject()));
			template.subscribe("events.>", (message) -> greater.add(message.originalSubject()));
			settle(template);

			template.publish("events.created", "a");
			template.publish("events.user.login", "b");

			await().until(() -> greater.size() == 2);
			settle(template);
			assertThat(star).containsExactly("events.created");
			assertThat(greater).containsExactlyInAnyOrder("events.created", "events.user.login");
		});
	}

	@Test
	void aQueueGroupGivesEachMessageToOneMember() {
		withTemplate(url, "", (template) -> {
			Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
			List<String> payloads = new CopyOnWriteArrayList<>();
			for (String worker : List.of("worker-1", "worker-2")) {
				template.subscribe("tasks", "workers", (message) -> {
					perWorker.computeIfAbsent(worker, (key) -> new AtomicInteger()).incrementAndGet();
					payloads.add(message.payloadAsString());
				});
			}
			settle(template);

			for (int i = 0; i < 200; i++) {
				template.publish("tasks", "task-" + i);
			}

			await().until(() -> payloads.size() == 200);
			settle(template);
			assertThat(payloads).doesNotHaveDuplicates().hasSize(200);
			assertThat(perWorker.get("worker-1").get()).isPositive();
			assertThat(perWorker.get("worker-2").get()).isPositive();
		});
	}

	@Test
	void fanOutReachesEverySubscriber() {
		withTemplate(url, "fan", (template) -> {
			List<AtomicInteger> counts = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
			counts.forEach((count) -> template.subscribe("broadcast", (message) -> count.incrementAndGet()));
			settle(template);
			for (int i = 0; i < 10; i++) {
				template.publish("broadcast", "news-" + i);
			}
			await().until(() -> counts.stream().allMatch((count) -> count.get() == 10));
		});
	}

	@Test
	void fanInCollectsFromManyPublishers() throws Exception {
		withTemplate(url, "fan", (template) -> {
			List<String> collected = new CopyOnWriteArrayList<>();
			template.subscribe("metrics.>", (message) -> collected.add(message.payloadAsString()));
			settle(template);
			ExecutorService publishers = Executors.newFixedThreadPool(5);
			for (int p = 0; p < 5; p++) {
				int publisher = p;
				publishers.submit(() -> {
					for (int i = 0; i < 20; i++) {
						template.publish("metrics.publisher" + publisher, publisher + ":" + i);
					}
				});
			}
			publishers.shutdown();
			awaitTermination(publishers);
			await().until(() -> collected.size() == 100);
			assertThat(collected).doesNotHaveDuplicates();
		});
	}

	@Test
	void aOneMebibyteBinaryPayloadArrivesIntact() {
		withTemplate(url, "", (template) -> {
			byte[] payload = new byte[1024 * 1024];
			for (int i = 0; i < payload.length; i++) {
				payload[i] = (byte) (i * 31);
			}
			List<byte[]> received = new CopyOnWriteArrayList<>();
			template.subscribe("blobs", (message) -> received.add(message.payload()));
			settle(template);
			template.publish("blobs", payload);
			await().until(() -> received.size() == 1);
			assertThat(received.get(0)).isEqualTo(payload);
		});
	}

	@Test
	void aBatchOfAThousandIsPublishedAndAnInvalidMessageIsReportedNotThrown() {
		withTemplate(url, "batch", (template) -> {
			AtomicInteger received = new AtomicInteger();
			template.subscribe("batch.items", (message) -> received.incrementAndGet());
			settle(template);
			List<NatsMessage> batch = new java.util.ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				batch.add(NatsMessage.builder("batch.items").payload("item-" + i).build());
			}
			batch.add(500, NatsMessage.builder("batch.*").payload("bad").build());

			PublishBatchResult result = template.publishBatch(batch);

			assertThat(result.published()).isEqualTo(1000);
			assertThat(result.isComplete()).isFalse();
			assertThat(result.failures()).singleElement().satisfies((failure) -> {
				assertThat(failure.index()).isEqualTo(500);
				assertThat(failure.subject()).isEqualTo("batch.*");
				assertThat(failure.exception()).isInstanceOf(NatsInvalidSubjectException.class);
			});
			await().until(() -> received.get() == 1000);
		});
	}

	@Test
	void headersAndReplySubjectTravelWithTheMessage() {
		withTemplate(url, "hdr", (template) -> {
			List<NatsMessage> received = new CopyOnWriteArrayList<>();
			template.subscribe("orders", received::add);
			settle(template);
			template.publish(NatsMessage.builder("orders")
				.payload("order-1".getBytes(StandardCharsets.UTF_8))
				.header("priority", "high")
				.header("tags", "a", "b")
				.replyTo("hdr.replies")
				.build());
			await().until(() -> received.size() == 1);
			NatsMessage message = received.get(0);
			assertThat(message.header("priority")).isEqualTo("high");
			assertThat(message.headers()).containsEntry("tags", List.of("a", "b"));
			assertThat(message.replyTo()).isEqualTo("hdr.replies");
			assertThat(message.nativeMessage()).isNotNull();
		});
	}

	@Test
	void objectsTravelAsJsonAndReadBackTyped() {
		withTemplate(url, "json", (template) -> {
			List<NatsMessage> received = new CopyOnWriteArrayList<>();
			template.subscribe("orders.created", received::add);
			settle(template);
			Order order = new Order("order-42", 3, java.time.Instant.parse("2026-11-23T10:15:30Z"));
			template.publish("orders.created", order);
			await().until(() -> received.size() == 1);
			NatsMessage message = received.get(0);
			assertThat(message.header("Content-Type")).isEqualTo("application/json");
			assertThat(message.payloadAsString()).contains("\"createdAt\":\"2026-11-23T10:15:30Z\"");
			assertThat(message.payloadAs(Order.class)).isEqualTo(order);
		});
	}

	@Test
	void aFailingHandlerNeverEndsTheSubscription() {
		withTemplate(url, "", (template) -> {
			List<String> handled = new CopyOnWriteArrayList<>();
			template.subscribe("fragile", (message) -> {
				if (message.payloadAsString().equals("poison")) {
					throw new IllegalStateException("cannot handle poison");
				}
				handled.add(message.payloadAsString());
			});
			settle(template);
			template.publish("fragile", "first");
			template.publish("fragile", "poison");
			template.publish("fragile", "after");
			await().until(() -> handled.size() == 2);
			assertThat(handled).containsExactly("first", "after");
		});
	}

	@Test
	void unsubscribeStopsDeliveryAndAutoUnsubscribeStopsAfterN() {
		withTemplate(url, "", (template) -> {
			AtomicInteger limited = new AtomicInteger();
			NatsSubscription subscription = template.subscribe("counted", (message) -> limited.incrementAndGet());
			subscription.unsubscribe(3);
			AtomicInteger stopped = new AtomicInteger();
			NatsSubscription stopping = template.subscribe("stopped", (message) -> stopped.incrementAndGet());
			settle(template);
			stopping.unsubscribe();
			for (int i = 0; i < 10; i++) {
				template.publish("counted", "m" + i);
				template.publish("stopped", "m" + i);
			}
			settle(template);
			await().until(() -> limited.get() == 3);
			assertThat(subscription.deliveredCount()).isEqualTo(3);
			assertThat(stopped.get()).isZero();
			assertThat(stopping.isActive()).isFalse();
		});
	}

	@Test
	void aSubscriptionWithATimeoutEndsItselfAndHandlesWhatCameBefore() {
		withTemplate(url, "timed", (template) -> {
			List<String> seen = new CopyOnWriteArrayList<>();
			NatsSubscription timed = template.subscribe("events.user.*",
					(message) -> seen.add(message.payloadAsString()), Duration.ofMillis(500));
			List<String> grouped = new CopyOnWriteArrayList<>();
			NatsSubscription member = template.subscribe("events.user.*", "workers",
					(message) -> grouped.add(message.payloadAsString()), Duration.ofMillis(500));
			settle(template);
			template.publish("events.user.login", "before");
			await().until(() -> seen.contains("before") && grouped.contains("before"));
			assertThat(timed.isTimedOut()).isFalse();
			await().until(() -> !timed.isActive() && !member.isActive());
			assertThat(timed.isTimedOut()).isTrue();
			assertThat(member.isTimedOut()).isTrue();
			template.publish("events.user.login", "after");
			settle(template);
			assertThat(seen).containsExactly("before");
			assertThat(grouped).containsExactly("before");
			// ended already: nothing left for unsubscribe by subject
			assertThat(template.unsubscribe("events.user.*")).isZero();
			assertThatIllegalArgumentException().isThrownBy(() -> template.subscribe("events", (message) -> {
			}, Duration.ZERO)).withMessageContaining("'events'");
		});
	}

	@Test
	void unsubscribeBySubjectEndsEverySubscriptionOnThatSubjectOnly() {
		withTemplate(url, "bysubject", (template) -> {
			AtomicInteger onEvents = new AtomicInteger();
			AtomicInteger onOther = new AtomicInteger();
			NatsSubscription first = template.subscribe("events", (message) -> onEvents.incrementAndGet());
			NatsSubscription second = template.subscribe("events", "group", (message) -> onEvents.incrementAndGet());
			NatsSubscription raw = template.withoutNamespace()
				.subscribe("bysubject.events", (message) -> onEvents.incrementAndGet(), Duration.ofHours(1));
			NatsSubscription other = template.subscribe("events.other", (message) -> onOther.incrementAndGet());
			NatsSubscription wildcard = template.subscribe("events.*", (message) -> onOther.incrementAndGet());
			settle(template);

			assertThat(template.unsubscribe("events")).isEqualTo(3);

			assertThat(first.isActive()).isFalse();
			assertThat(second.isActive()).isFalse();
			assertThat(raw.isActive()).isFalse();
			assertThat(raw.isTimedOut()).isFalse();
			assertThat(other.isActive()).isTrue();
			assertThat(wildcard.isActive()).isTrue();
			template.publish("events", "after");
			template.publish("events.other", "still heard");
			await().until(() -> onOther.get() == 2);
			settle(template);
			assertThat(onEvents.get()).isZero();
			assertThat(template.unsubscribe("events")).isZero();
			assertThat(template.unsubscribe("events.*")).isEqualTo(1);
			other.unsubscribe();
			assertThat(template.unsubscribe("events.other")).isZero();
		});
	}

	@Test
	void withoutNamespaceReachesRawSubjects() {
		withTemplate(url, "scoped", (template) -> {
			List<String> raw = new CopyOnWriteArrayList<>();
			template.withoutNamespace().subscribe("other-app.events", (message) -> raw.add(message.subject()));
			settle(template);
			template.withoutNamespace().publish("other-app.events", "hello");
			template.publish("other-app.events", "namespaced, not seen");
			await().until(() -> raw.size() == 1);
			settle(template);
			assertThat(raw).containsExactly("other-app.events");
		});
	}

	@Test
	void pingAndFlushAnswerWhileConnected() {
		withTemplate(url, "", (template) -> {
			assertThat(template.isConnected()).isTrue();
			assertThat(template.awaitConnected(Duration.ofSeconds(1))).isTrue();
			assertThat(template.ping()).isPositive().isLessThan(Duration.ofSeconds(5));
			template.flush(Duration.ofSeconds(2));
		});
	}

	private static void awaitTermination(ExecutorService executor) {
		try {
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Order(String id, int quantity, java.time.Instant createdAt) {
	}

}
