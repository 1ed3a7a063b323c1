package io.natsboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.natsboot.test.WithNatsServer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the README's quick start against the sample: every {@code curl} line as written,
 * in README order, each answering what the README says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithNatsServer
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Test
	void everyQuickStartCommandAnswersWhatTheReadmeSays() throws Exception {
		List<QuickStartCommands.Command> commands = QuickStartCommands.read(Path.of("..", "README.md"));
		assertThat(commands).hasSizeGreaterThan(30)
			.allSatisfy((command) -> assertThat(command.answer())
				.as("the answer the README promises for %s", command.line())
				.isNotNull());
		// health is UP once connected and the listeners are subscribed, as a user sees it
		await().atMost(Duration.ofSeconds(30)).until(() -> health().statusCode() == 200);
		for (QuickStartCommands.Command command : commands) {
			AtomicReference<String> output = new AtomicReference<>(command.run(this.port));
			if (!command.changes() && !command.answered(output.get())) {
				// what a listener or task worker does arrives a moment later: ask again
				try {
					await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
						output.set(command.run(this.port));
						return command.answered(output.get());
					});
				}
				catch (ConditionTimeoutException ex) {
					// the assertion below shows the last answer beside the README's
				}
			}
			assertThat(command.answered(output.get()))
				.as("%s%n  answered %s%n  README says %s", command.line(), output.get(), command.answer())
				.isTrue();
		}
	}

	@Test
	void healthShowsTheNatsComponentAndTheListenersUp() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> health().statusCode() == 200);
		assertThat(health().body()).contains("\"jetStream\":true")
			.contains("\"natsListeners\":{\"details\":{\"order-billing\":")
			.contains("\"status\":\"UP\"");
	}

	private HttpResponse<String> health() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
