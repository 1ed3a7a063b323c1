package io.natsboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.nats.client.Connection;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithNatsServer
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	Connection connection;

	@Test
	void showsPublishSubscribeRequestReplyAStreamAndTheObjectStore() throws Exception {
		await().until(() -> this.connection.getStatus() == Connection.Status.CONNECTED);
		await().until(() -> send("GET", "/orders/stats", null).statusCode() == 200);

		assertThat(send("POST", "/greetings", "hello from HTTP").body()).contains("hello from HTTP");
		await().until(() -> send("GET", "/greetings", null).body().contains("\"text\":\"hello from HTTP\""));

		await().until(() -> send("GET", "/echo?text=ping", null).body().contains("\"reply\":\"ping\""));

		assertThat(send("POST", "/tasks/resize", "photo-1").body()).contains("resize:photo-1");
		await().until(() -> send("GET", "/tasks", null).body().contains("tasks.resize:photo-1"));

		HttpResponse<String> order = send("POST", "/orders", "{\"id\":\"o-1\",\"item\":\"book\",\"quantity\":2}");
		assertThat(order.body()).contains("\"stream\":\"sample_ORDERS\"");
		assertThat(send("GET", "/orders/stats", null).body()).contains("\"messages\":1");
		await().until(() -> send("GET", "/orders/billed", null).body().contains("o-1@1"));

		assertThat(send("POST", "/reports/2026-11", "").body()).contains("\"id\":\"report-2026-11\"");
		await().until(() -> send("GET", "/reports/report-2026-11", null).body().contains("\"state\":\"SUCCEEDED\""));
		assertThat(send("GET", "/reports/report-2026-11", null).body()).contains("\"progress\":100")
			.contains("\"sections\":4");

		assertThat(send("PUT", "/files/notes.txt", "remember NATS").body()).contains("\"size\":13");
		assertThat(send("GET", "/files/notes.txt", null).body()).isEqualTo("remember NATS");
		assertThat(send("GET", "/files/missing.txt", null).statusCode()).isEqualTo(404);

		assertThat(send("GET", "/actuator/nats", null).body()).contains("\"name\":\"sample_ORDERS\"")
			.contains("\"id\":\"order-billing\"")
			.contains("\"consumer\":\"sample_billing\"")
			.contains("\"taskQueue\":[{\"queue\":\"default\"");
	}

	@Test
	void showsTheKeyStoreAndCacheable() throws Exception {
		await().until(() -> this.connection.getStatus() == Connection.Status.CONNECTED);
		assertThat(send("PUT", "/sessions/42", "{\"user\":\"ann\"}").body()).contains("\"version\":1")
			.contains("\"tags\":[\"web\"]");
		assertThat(send("GET", "/sessions/42", null).body()).isEqualTo("{\"user\":\"ann\"}");
		assertThat(send("GET", "/sessions/missing", null).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/keys?pattern=session:*", null).body()).isEqualTo("[\"session:42\"]");
		assertThat(send("GET", "/rates/usd", null).body()).contains("\"perEuro\":1.08").contains("\"computed\":1");
		assertThat(send("GET", "/rates/usd", null).body()).contains("\"computed\":1");
		assertThat(send("GET", "/actuator/nats", null).body()).contains("\"keystore\":{\"backend\":\"nats\"");
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type",
					(path.startsWith("/orders") || path.startsWith("/sessions")) ? "application/json" : "text/plain");
		// the sample's listeners subscribe once connected; requests may come first
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void healthShowsTheNatsComponentUp() throws Exception {
		await().until(() -> this.connection.getStatus() == Connection.Status.CONNECTED);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"nats\":{\"details\":")
			.contains("\"jetStream\":true")
			.contains("\"natsListeners\":{\"details\":{\"order-billing\":")
			.contains("\"status\":\"UP\"");
	}

}
