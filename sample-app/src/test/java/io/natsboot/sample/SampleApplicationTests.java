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
	void healthShowsTheNatsComponentUp() throws Exception {
		await().until(() -> this.connection.getStatus() == Connection.Status.CONNECTED);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"nats\":{\"details\":")
			.contains("\"jetStream\":true")
			.contains("\"status\":\"UP\"");
	}

}
