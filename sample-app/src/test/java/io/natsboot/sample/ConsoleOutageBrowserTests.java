package io.natsboot.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console while NATS is down: the page stays, refreshing, shows the outage and the
 * connection's state instead of an error page, the listeners' own state is still shown,
 * and everything returns once the server is back; the API answers 503 with the reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithNatsServer
class ConsoleOutageBrowserTests {

	@LocalServerPort
	int port;

	@Test
	void thePageShowsTheOutageAndRecoversWithTheServer(NatsServerProcess server) throws Exception {
		ConsoleClient sample = new ConsoleClient(this.port);
		await().atMost(Duration.ofSeconds(30)).until(() -> sample.get("/actuator/health").statusCode() == 200);
		try (ConsoleBrowser browser = new ConsoleBrowser(this.port)) {
			browser.open("tasks", "tasks");
			server.stop();
			try {
				WebElement outage = browser.awaitElement(By.cssSelector("#outage:not([hidden])"));
				assertThat(outage.getText()).contains("NATS is unavailable").contains("not connected");
				HttpResponse<String> tasks = sample.get("/natsboot/api/tasks/dead?size=5");
				assertThat(tasks.statusCode()).isEqualTo(503);
				assertThat(tasks.body()).contains("\"available\":false");

				browser.driver().findElement(By.id("nav-overview")).click();
				browser.awaitView("overview");
				WebElement status = browser.awaitElement(By.id("connection-status"));
				browser.wait(Duration.ofSeconds(20))
					.until((driver) -> status.getText().matches("RECONNECTING|DISCONNECTED"));
				assertThat(browser.awaitElement(By.cssSelector("#outage:not([hidden])")).getText())
					.contains("NATS is unavailable");
				browser.fullScreenshot("console-outage");
				browser.driver().findElement(By.id("nav-listeners")).click();
				browser.awaitView("listeners");
				assertThat(browser.findAll(By.cssSelector("#listeners [data-listener-id]"))).isNotEmpty();
			}
			finally {
				server.start();
			}
			browser.driver().findElement(By.id("nav-tasks")).click();
			browser.wait(Duration.ofSeconds(60))
				.until((driver) -> driver.findElement(By.id("outage")).getDomAttribute("hidden") != null);
			browser.awaitView("tasks");
			assertThat(browser.javaScriptErrors()).isEmpty();
		}
	}

}
