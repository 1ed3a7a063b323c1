package io.natsboot.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium, driven by Selenium through Debian's {@code chromedriver}, on the
 * console of a running sample: opens views, waits for them, collects the page's
 * JavaScript errors and saves screenshots under {@code target/console-screenshots}.
 */
final class ConsoleBrowser implements AutoCloseable {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	private final ChromeDriver driver;

	private final String base;

	ConsoleBrowser(int port) {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException("The console's browser tests need Chromium and its driver at " + CHROMIUM
					+ " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		// as root in a closed network: no sandbox, no background connections
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-quic", "--window-size=1400,1000");
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.base = "http://localhost:" + port + "/natsboot";
	}

	/** Opens a view and waits until it has shown its data. */
	void open(String view, String route) {
		this.driver.get(this.base + "#/" + route);
		awaitView(view);
	}

	void awaitView(String view) {
		wait(Duration.ofSeconds(20))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main[data-view='" + view + "']")));
	}

	/** Waits for the next refresh of the current view. */
	void awaitRefresh() {
		String before = this.driver.findElement(By.id("main")).getDomAttribute("data-loaded-at");
		wait(Duration.ofSeconds(20)).until((driver) -> {
			String now = driver.findElement(By.id("main")).getDomAttribute("data-loaded-at");
			return now != null && !now.equals(before);
		});
	}

	WebElement awaitElement(By by) {
		return wait(Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(by));
	}

	List<WebElement> findAll(By by) {
		return this.driver.findElements(by);
	}

	WebDriverWait wait(Duration timeout) {
		WebDriverWait wait = new WebDriverWait(this.driver, timeout);
		wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
		return wait;
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * The JavaScript errors logged since the last call: uncaught exceptions and
	 * {@code console.error}, not the browser's own lines about failed requests (an answer
	 * 503 while NATS is away is the page working).
	 */
	List<String> javaScriptErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.filter((message) -> !message.contains("Failed to load resource"))
			.toList();
	}

	/** Saves a screenshot of the window. */
	Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path target = SCREENSHOTS.resolve(name + ".png");
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		return target;
	}

	/** Saves a screenshot of the whole page, however long. */
	Path fullScreenshot(String name) throws IOException {
		Object height = this.driver.executeScript("return Math.max(document.body.scrollHeight, 1000)");
		this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 1400, "height", ((Number) height).intValue(), "deviceScaleFactor", 1, "mobile", false));
		try {
			return screenshot(name);
		}
		finally {
			this.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
