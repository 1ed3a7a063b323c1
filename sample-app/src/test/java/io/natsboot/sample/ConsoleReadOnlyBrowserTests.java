package io.natsboot.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code nats.console.actions-enabled=false} the console is read-only: with a dead
 * letter and running listeners on the page, no action button is there, and the POST a
 * button would send is refused, CSRF token and all. With
 * {@code nats.console.show-values=true} the key store view shows values.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "nats.console.actions-enabled=false", "nats.console.show-values=true" })
@WithNatsServer
class ConsoleReadOnlyBrowserTests {

	@LocalServerPort
	int port;

	@Test
	void theButtonsAreAbsentAndThePostIsRefused() throws Exception {
		ConsoleClient sample = new ConsoleClient(this.port);
		await().atMost(Duration.ofSeconds(30)).until(() -> sample.get("/actuator/health").statusCode() == 200);
		sample.post("/receipts/ann", Map.of(), "");
		await().atMost(Duration.ofSeconds(20)).until(() -> !sample.view("tasks/dead?size=20").get("letters").isEmpty());
		try (ConsoleBrowser browser = new ConsoleBrowser(this.port)) {
			browser.open("tasks", "tasks");
			browser.awaitElement(By.cssSelector("#dead-letters tr[data-task-id='receipt-ann']"));
			assertThat(browser.findAll(By.cssSelector(".action-requeue, .action-delete, #action-purge"))).isEmpty();
			browser.fullScreenshot("console-read-only");
			browser.open("listeners", "listeners");
			assertThat(browser.findAll(By.cssSelector("#listeners [data-listener-id]"))).isNotEmpty();
			assertThat(browser.findAll(By.cssSelector(".action-stop, .action-start"))).isEmpty();
			browser.open("task", "tasks/receipt-ann");
			assertThat(browser.findAll(By.cssSelector(".action-requeue"))).isEmpty();
			assertThat(browser.javaScriptErrors()).isEmpty();
		}
		assertThat(sample.view("session").get("actionsEnabled").asBoolean()).isFalse();
		HttpResponse<String> refused = sample.act("tasks/dead/receipt-ann/requeue");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("read-only").contains("nats.console.actions-enabled");
		assertThat(sample.view("tasks/dead?size=20").get("letters")).isNotEmpty();

		sample.put("/sessions/9", "application/json", "{\"user\":\"ivy\"}");
		assertThat(sample.view("session").get("showValues").asBoolean()).isTrue();
		assertThat(sample.view("keystore/keys?prefix=session:").get("keys").get(0).get("value").get("user").asString())
			.isEqualTo("ivy");
	}

}
