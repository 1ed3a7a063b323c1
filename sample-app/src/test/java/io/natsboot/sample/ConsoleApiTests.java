package io.natsboot.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's JSON API against the sample, which enables the console with actions, on a
 * real server: every view, and every action doing what it says (a re-queued dead task
 * runs, a purge empties, a stopped listener receives nothing until started, a
 * re-published dead letter is stored again). The views are what a script reads, so each
 * figure is checked against what the sample did.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithNatsServer
class ConsoleApiTests {

	@LocalServerPort
	int port;

	private ConsoleClient console;

	@BeforeEach
	void client() {
		this.console = new ConsoleClient(this.port);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.console.get("/actuator/health").statusCode() == 200);
	}

	@Test
	void theSessionTellsThePageWhatItMayDoAndThePageIsServedWithItsFiles() throws Exception {
		JsonNode session = this.console.view("session");
		assertThat(session.get("application").asString()).isEqualTo("natsboot-sample");
		assertThat(session.get("instance").asString()).startsWith("natsboot-sample-");
		assertThat(session.get("actionsEnabled").asBoolean()).isTrue();
		assertThat(session.get("showValues").asBoolean()).isFalse();
		assertThat(session.get("charts").asBoolean()).isTrue();
		assertThat(names(session.get("views"))).containsExactly("overview", "tasks", "listeners", "streams", "keystore",
				"instances");
		HttpResponse<String> cookie = this.console.get("/natsboot/api/session");
		assertThat(cookie.headers().allValues("Set-Cookie")).isEmpty(); // the browser has
																		// its token
																		// already
		HttpResponse<String> fresh = new ConsoleClient(this.port).get("/natsboot/api/session");
		assertThat(fresh.headers().firstValue("Set-Cookie"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("NATSBOOT_CSRF=")
				.contains("Path=/natsboot")
				.contains("HttpOnly")
				.contains("SameSite=Strict"));
		HttpResponse<String> page = this.console.get("/natsboot");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("/natsboot/assets/console.js").doesNotContain("__CONSOLE_PATH__");
		for (String file : List.of("console.js", "console.css", "chart.umd.min.js")) {
			assertThat(this.console.get("/natsboot/assets/" + file).statusCode()).as(file).isEqualTo(200);
		}
		assertThat(this.console.get("/natsboot/assets/application.yml").statusCode()).isEqualTo(404);
	}

	@Test
	void theOverviewShowsTheConnectionHealthAndChartSeries() throws Exception {
		JsonNode overview = this.console.view("overview");
		JsonNode connection = overview.get("connection");
		assertThat(connection.get("status").asString()).isEqualTo("CONNECTED");
		assertThat(connection.get("version").asString()).isNotBlank();
		assertThat(connection.get("jetStream").asBoolean()).isTrue();
		assertThat(connection.get("rttMillis").asDouble()).isPositive();
		assertThat(connection.get("server").asString()).doesNotContain("@");
		List<String> components = new ArrayList<>();
		overview.get("health").forEach((component) -> {
			components.add(component.get("component").asString());
			assertThat(component.get("status").asString()).as(component.toString()).isEqualTo("UP");
		});
		assertThat(components).contains("nats", "natsListeners", "natsTasks");
		List<String> series = new ArrayList<>();
		overview.get("charts").get("series").forEach((one) -> series.add(one.get("name").asString()));
		assertThat(series).containsExactly("published", "received", "tasksProcessed", "tasksFailed", "deadLetters");
	}

	@Test
	void aDeadTaskIsListedShownByIdAndRunsWhenRequeuedWithTheToken() throws Exception {
		this.console.post("/receipts/bob", Map.of(), "");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ids(this.console.view("tasks/dead?size=20").get("letters")).contains("receipt-bob"));
		JsonNode letter = letter(this.console.view("tasks/dead?size=20"), "receipt-bob");
		assertThat(letter.get("type").asString()).isEqualTo("send_receipt");
		assertThat(letter.get("exceptionMessage").asString()).isEqualTo("no email address for customer 'bob'");
		assertThat(letter.get("payloadPreview").asString()).isEqualTo("{\"customer\":\"bob\"}");
		JsonNode task = this.console.view("tasks/receipt-bob");
		assertThat(task.get("status").get("state").asString()).isEqualTo("DEAD");
		assertThat(task.get("deadLetter").get("attempts").asInt()).isEqualTo(1);
		JsonNode tasks = this.console.view("tasks");
		assertThat(tasks.get("queues").get(0).get("dead").asLong()).isPositive();
		assertThat(typeCounts(tasks, "send_receipt").get("DEAD").asLong()).isPositive();

		assertThat(this.console.actWithoutToken("tasks/dead/receipt-bob/requeue").statusCode()).isEqualTo(403);
		// a token read by one browser is no good from another, which lacks its cookie
		JsonNode csrf = this.console.view("session").get("csrf");
		HttpResponse<String> elsewhere = new ConsoleClient(this.port).post(
				"/natsboot/api/tasks/dead/receipt-bob/requeue",
				Map.of(csrf.get("header").asString(), csrf.get("token").asString()), "");
		assertThat(elsewhere.statusCode()).isEqualTo(403);
		assertThat(elsewhere.body()).contains("CSRF token is missing or wrong");
		this.console.put("/customers/bob/email", "text/plain", "bob@example.com");
		HttpResponse<String> requeued = this.console.act("tasks/dead/receipt-bob/requeue");
		assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(200);
		assertThat(ConsoleClient.parse(requeued.body()).get("duplicate").asBoolean()).isFalse();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "SUCCEEDED"
				.equals(this.console.view("tasks/receipt-bob").get("status").get("state").asString()));
		JsonNode done = this.console.view("tasks/receipt-bob");
		assertThat(done.get("result").asString()).isEqualTo("receipt sent to bob@example.com");
		assertThat(done.get("deadLetter").isNull()).isTrue();
		assertThat(done.get("status").get("requeues").asInt()).isEqualTo(1);
		assertThat(this.console.get("/natsboot/api/tasks/never-enqueued").statusCode()).isEqualTo(404);
	}

	@Test
	void aDeadLetterIsDeletedAndAPurgeEmptiesTheRest() throws Exception {
		this.console.post("/receipts/cy", Map.of(), "");
		this.console.post("/receipts/dee", Map.of(), "");
		this.console.post("/receipts/eve", Map.of(), "");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ids(this.console.view("tasks/dead?size=20").get("letters"))
				.containsAll(List.of("receipt-cy", "receipt-dee", "receipt-eve")));
		HttpResponse<String> deleted = this.console.act("tasks/dead/receipt-cy/delete");
		assertThat(ConsoleClient.parse(deleted.body()).get("deleted").asBoolean()).isTrue();
		assertThat(ids(this.console.view("tasks/dead?size=20").get("letters"))).doesNotContain("receipt-cy")
			.contains("receipt-dee");
		// pages of one, newest first
		JsonNode first = this.console.view("tasks/dead?size=1");
		assertThat(first.get("letters")).hasSize(1);
		JsonNode second = this.console.view("tasks/dead?size=1&before=" + first.get("next").asLong());
		assertThat(second.get("letters").get(0).get("sequence").asLong())
			.isLessThan(first.get("letters").get(0).get("sequence").asLong());

		HttpResponse<String> purged = this.console.act("tasks/dead/purge");
		assertThat(ConsoleClient.parse(purged.body()).get("purged").asLong()).isGreaterThanOrEqualTo(2);
		JsonNode empty = this.console.view("tasks/dead?size=20");
		assertThat(empty.get("letters")).isEmpty();
		assertThat(empty.get("total").asLong()).isZero();
		assertThat(this.console.view("tasks").get("queues").get(0).get("dead").asLong()).isZero();
		// only the application's own queues, and never a wildcard
		HttpResponse<String> unknown = this.console.get("/natsboot/api/tasks/dead?queue=nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("no task queue 'nope'");
		assertThat(this.console.act("tasks/dead/purge?queue=*").statusCode()).isEqualTo(404);
	}

	@Test
	void aStoppedListenerReceivesNothingUntilStartedAgain() throws Exception {
		assertThat(listener("greetings").get("state").asString()).isEqualTo("RECEIVING");
		assertThat(listener("order-billing").get("kind").asString()).isEqualTo("durable");
		assertThat(listener("order-billing").get("stream").asString()).isEqualTo("sample_ORDERS");
		assertThat(listener("job-worker").get("queueGroup").asString()).isEqualTo("job-workers");
		assertThat(listener("job-worker").get("concurrency").asInt()).isEqualTo(2);

		HttpResponse<String> stopped = this.console.act("listeners/greetings/stop");
		assertThat(ConsoleClient.parse(stopped.body()).get("running").asBoolean()).isFalse();
		assertThat(listener("greetings").get("state").asString()).isEqualTo("STOPPED");
		this.console.post("/greetings", Map.of(), "while-stopped");
		Thread.sleep(500); // the listener would have it by now
		assertThat(this.console.get("/greetings").body()).doesNotContain("while-stopped");

		HttpResponse<String> started = this.console.act("listeners/greetings/start");
		assertThat(ConsoleClient.parse(started.body()).get("running").asBoolean()).isTrue();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "RECEIVING".equals(listener("greetings").get("state").asString()));
		this.console.post("/greetings", Map.of(), "after-start");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.console.get("/greetings").body().contains("after-start"));
		assertThat(this.console.act("listeners/nobody/stop").statusCode()).isEqualTo(404);
	}

	@Test
	void streamsListTheirConsumersAndADurableListenersDeadLetterIsRepublished() throws Exception {
		JsonNode streams = this.console.view("streams").get("streams");
		JsonNode orders = named(streams, "sample_ORDERS");
		assertThat(orders.get("owner").asString()).isEqualTo("application");
		assertThat(names(orders.get("consumers"), "name")).contains("sample_billing");
		assertThat(named(streams, "sample_TASKS").get("owner").asString()).isEqualTo("natsboot");

		// no items: retried after 1 s and 5 s, then a dead letter
		this.console.post("/orders", Map.of("Content-Type", "application/json"),
				"{\"id\":\"o-empty\",\"item\":\"air\",\"quantity\":0}");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.console.view("streams/dead-letters?size=20").get("letters").isEmpty());
		JsonNode letters = this.console.view("streams/dead-letters?size=20");
		assertThat(letters.get("stream").asString()).isEqualTo("sample_DEAD_LETTERS");
		JsonNode letter = letters.get("letters").get(0);
		assertThat(letter.get("originalSubject").asString()).startsWith("sample.orders");
		assertThat(letter.get("stream").asString()).isEqualTo("sample_ORDERS");
		assertThat(letter.get("attempts").asInt()).isEqualTo(3);
		assertThat(letter.get("exceptionMessage").asString()).contains("order o-empty has no items");
		assertThat(letter.get("payloadPreview").asString()).contains("o-empty");
		long ordersBefore = named(this.console.view("streams").get("streams"), "sample_ORDERS").get("lastSequence")
			.asLong();

		HttpResponse<String> republished = this.console
			.act("streams/dead-letters/" + letter.get("sequence").asLong() + "/republish");
		assertThat(republished.statusCode()).as(republished.body()).isEqualTo(200);
		JsonNode answer = ConsoleClient.parse(republished.body());
		assertThat(answer.get("subject").asString()).isEqualTo(letter.get("originalSubject").asString());
		assertThat(answer.get("stream").asString()).isEqualTo("sample_ORDERS");
		assertThat(answer.get("published").asLong()).isGreaterThan(ordersBefore);
		assertThat(ids(this.console.view("streams/dead-letters?size=20").get("letters"), "sequence"))
			.doesNotContain(letter.get("sequence").asString());
		assertThat(this.console.act("streams/dead-letters/999999/republish").statusCode()).isEqualTo(400);
	}

	@Test
	void theKeyStoreListsKeysByPrefixWithMetadataButNoValues() throws Exception {
		this.console.put("/sessions/77", "application/json", "{\"user\":\"zed\"}");
		this.console.put("/sessions/78", "application/json", "{\"user\":\"yan\"}");
		JsonNode store = this.console.view("keystore");
		assertThat(store.get("backend").asString()).isEqualTo("nats");
		assertThat(store.get("cache").get("enabled").asBoolean()).isTrue();
		this.console.get("/sessions/77"); // read twice: the second from the local cache
		this.console.get("/sessions/77");
		JsonNode cache = this.console.view("keystore").get("cache");
		assertThat(cache.get("hits").asLong()).isPositive();
		assertThat(cache.get("hitRatio").asDouble()).isBetween(0.0, 1.0).isPositive();
		JsonNode keys = this.console.view("keystore/keys?prefix=session:&size=1");
		assertThat(keys.get("keys")).hasSize(1);
		JsonNode key = keys.get("keys").get(0);
		assertThat(key.get("key").asString()).isEqualTo("session:77");
		assertThat(key.get("version").asLong()).isEqualTo(1);
		assertThat(key.get("ttlSeconds").asLong()).isPositive();
		assertThat(names(key.get("tags"))).containsExactly("web");
		assertThat(key.has("value")).isFalse();
		JsonNode next = this.console.view("keystore/keys?prefix=session:&size=1&after=" + keys.get("next").asString());
		assertThat(next.get("keys").get(0).get("key").asString()).isEqualTo("session:78");
		assertThat(this.console.get("/natsboot/api/keystore/keys?size=0").statusCode()).isEqualTo(400);
	}

	@Test
	void thisInstanceIsListedWithItsQueuesAndListeners() throws Exception {
		await().atMost(Duration.ofSeconds(15)).until(() -> !this.console.view("instances").get("instances").isEmpty());
		JsonNode self = this.console.view("instances").get("instances").get(0);
		assertThat(self.get("self").asBoolean()).isTrue();
		assertThat(self.get("state").asString()).isEqualTo("UP");
		assertThat(self.get("id").asString()).isEqualTo(this.console.view("session").get("instance").asString());
		assertThat(names(self.get("queues"))).contains("default");
		assertThat(names(self.get("listeners"))).contains("greetings", "order-billing");
	}

	private JsonNode listener(String id) throws Exception {
		for (JsonNode listener : this.console.view("listeners").get("listeners")) {
			if (listener.get("id").asString().equals(id)) {
				return listener;
			}
		}
		throw new AssertionError("no listener " + id);
	}

	private static JsonNode letter(JsonNode page, String id) {
		for (JsonNode letter : page.get("letters")) {
			if (letter.get("id").asString().equals(id)) {
				return letter;
			}
		}
		throw new AssertionError("no dead letter " + id + " in " + page);
	}

	private static JsonNode typeCounts(JsonNode tasks, String type) {
		for (JsonNode counts : tasks.get("types")) {
			if (counts.get("type").asString().equals(type)) {
				return counts.get("counts");
			}
		}
		throw new AssertionError("no type " + type + " in " + tasks);
	}

	private static JsonNode named(JsonNode list, String name) {
		for (JsonNode item : list) {
			if (item.get("name").asString().equals(name)) {
				return item;
			}
		}
		throw new AssertionError("nothing named " + name + " in " + list);
	}

	private static List<String> ids(JsonNode list) {
		return names(list, "id");
	}

	private static List<String> ids(JsonNode list, String field) {
		return names(list, field);
	}

	private static List<String> names(JsonNode list, String field) {
		List<String> names = new ArrayList<>();
		list.forEach((item) -> names.add(item.get(field).asString()));
		return names;
	}

	private static List<String> names(JsonNode list) {
		List<String> names = new ArrayList<>();
		list.forEach((item) -> names.add(item.asString()));
		return names;
	}

}
