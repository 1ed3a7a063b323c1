package io.natsboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (headless Chromium) against the sample on a real server:
 * every view loads without a JavaScript error and is saved as a screenshot under
 * {@code target/console-screenshots}; a poison task shows up under dead letters, and a
 * click on re-queue, once the handler can succeed, ends with the task SUCCEEDED on the
 * page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "nats.console.refresh-interval=1s")
@WithNatsServer
class ConsoleBrowserTests {

	@LocalServerPort
	int port;

	private ConsoleBrowser browser;

	private ConsoleClient sample;

	@BeforeEach
	void open() {
		this.sample = new ConsoleClient(this.port);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.sample.get("/actuator/health").statusCode() == 200);
		this.browser = new ConsoleBrowser(this.port);
	}

	@AfterEach
	void close() {
		this.browser.close();
	}

	@Test
	void everyViewLoadsWithoutJavaScriptErrors() throws Exception {
		// something to show: traffic, a finished task with a result, a key, a running
		// and a scheduled task
		this.sample.post("/greetings", Map.of(), "hello");
		this.sample.post("/reports/2026-10", Map.of(), "");
		this.sample.post("/reports/2027-01?priority=low&delay=1h", Map.of(), "");
		this.sample.put("/sessions/42", "application/json", "{\"user\":\"ann\"}");
		this.sample.post("/orders", Map.of("Content-Type", "application/json"),
				"{\"id\":\"o-1\",\"item\":\"book\",\"quantity\":2}");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "SUCCEEDED"
				.equals(this.sample.view("tasks/report-2026-10").get("status").get("state").asString()));

		for (String[] view : new String[][] { { "tasks", "tasks" }, { "task", "tasks/report-2026-10" },
				{ "listeners", "listeners" }, { "streams", "streams" }, { "keystore", "keystore" },
				{ "instances", "instances" } }) {
			this.browser.open(view[0], view[1]);
			this.browser.awaitRefresh(); // a refresh without reloading, as an operator
											// sees it
			this.browser.fullScreenshot("console-" + view[0]);
			assertThat(this.browser.javaScriptErrors()).as("JavaScript errors on %s", view[1]).isEmpty();
		}
		// the overview last, its charts drawn from a few seconds of traffic
		this.browser.open("overview", "overview");
		for (int second = 0; second < 8; second++) {
			for (int i = 0; i < 5; i++) {
				this.sample.post("/greetings", Map.of(), "hello " + second + "-" + i);
			}
			this.sample.post("/reports/2025-" + String.format("%02d", second + 1), Map.of(), "");
			this.browser.awaitRefresh();
		}
		assertThat(this.browser.driver().findElement(By.id("connection-status")).getText()).isEqualTo("CONNECTED");
		this.browser.fullScreenshot("console-overview");
		assertThat(this.browser.javaScriptErrors()).as("JavaScript errors on the overview").isEmpty();

		this.browser.open("task", "tasks/report-2026-10");
		assertThat(this.browser.awaitElement(By.id("task-state")).getText()).isEqualTo("SUCCEEDED");
		this.browser.open("keystore", "keystore");
		assertThat(this.browser.awaitElement(By.cssSelector("#keys [data-key='session:42']"))).isNotNull();
		this.browser.open("listeners", "listeners");
		assertThat(this.browser.findAll(By.cssSelector("#listeners [data-listener-id]"))).hasSizeGreaterThan(3);
		this.browser.open("instances", "instances");
		assertThat(this.browser.findAll(By.cssSelector("#instances [data-instance-id]"))).hasSize(1);
	}

	@Test
	void aPoisonTaskShowsUpAsADeadLetterAndAClickOnRequeueEndsWithItSucceeded() throws Exception {
		this.sample.post("/receipts/ann", Map.of(), "");
		this.browser.open("tasks", "tasks");
		WebElement row = this.browser.awaitElement(By.cssSelector("#dead-letters tr[data-task-id='receipt-ann']"));
		assertThat(row.getText()).contains("send_receipt").contains("no email address for customer 'ann'");
		this.browser.fullScreenshot("console-dead-letter");

		// the flag the handler needed
		this.sample.put("/customers/ann/email", "text/plain", "ann@example.com");
		this.browser.awaitElement(By.cssSelector("#dead-letters tr[data-task-id='receipt-ann'] .action-requeue"))
			.click();
		WebElement flash = this.browser.awaitElement(By.cssSelector("#flash:not([hidden])"));
		assertThat(flash.getText()).contains("receipt-ann");
		this.browser.wait(Duration.ofSeconds(20))
			.until((driver) -> driver.findElements(By.cssSelector("#dead-letters tr[data-task-id='receipt-ann']"))
				.isEmpty());

		this.browser.driver().findElement(By.id("task-search")).sendKeys("receipt-ann");
		this.browser.driver().findElement(By.id("task-search-go")).click();
		this.browser.awaitView("task");
		this.browser.wait(Duration.ofSeconds(20))
			.until((driver) -> "SUCCEEDED".equals(driver.findElement(By.id("task-state")).getText()));
		assertThat(this.browser.driver().findElement(By.id("main")).getText())
			.contains("receipt sent to ann@example.com");
		this.browser.fullScreenshot("console-task-requeued");
		List<String> errors = this.browser.javaScriptErrors();
		assertThat(errors).isEmpty();
	}

}
