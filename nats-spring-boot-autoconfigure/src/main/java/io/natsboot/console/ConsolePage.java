package io.natsboot.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;

/**
 * The console's files: its page, script and style from the jar, and Chart.js from its
 * WebJar. The page is served with the console's path written in, so every file and API
 * call is found below it wherever the console is mounted.
 */
public class ConsolePage {

	static final String LOCATION = "META-INF/natsboot/console/";

	private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

	private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

	private final String html;

	private final Map<String, Asset> assets;

	/**
	 * Reads the page for a path.
	 * @param path the console's path, e.g. {@code /natsboot}
	 */
	public ConsolePage(String path) {
		this.html = read(new ClassPathResource(LOCATION + "index.html")).replace("__CONSOLE_PATH__", path);
		Map<String, Asset> assets = new HashMap<>();
		assets.put("console.js", new Asset(new ClassPathResource(LOCATION + "console.js"), JAVASCRIPT));
		assets.put("console.css", new Asset(new ClassPathResource(LOCATION + "console.css"),
				new MediaType("text", "css", StandardCharsets.UTF_8)));
		Resource chart = chartJs();
		if (chart != null) {
			assets.put("chart.umd.min.js", new Asset(chart, JAVASCRIPT));
		}
		this.assets = Map.copyOf(assets);
	}

	/**
	 * The page.
	 * @return its HTML
	 */
	public String html() {
		return this.html;
	}

	/**
	 * One of the page's files.
	 * @param name its name below {@code assets/}
	 * @return the file, or null when the console has no such file
	 */
	public @Nullable Asset asset(String name) {
		return this.assets.get(name);
	}

	/**
	 * Whether the charts can be drawn: Chart.js's WebJar is on the class path.
	 * @return true when it is
	 */
	public boolean hasCharts() {
		return this.assets.containsKey("chart.umd.min.js");
	}

	private static @Nullable Resource chartJs() {
		ClassPathResource pom = new ClassPathResource(CHART_JS_POM);
		if (!pom.exists()) {
			return null;
		}
		Properties properties = new Properties();
		try (InputStream in = pom.getInputStream()) {
			properties.load(in);
		}
		catch (IOException ex) {
			return null;
		}
		ClassPathResource script = new ClassPathResource(
				"META-INF/resources/webjars/chart.js/" + properties.getProperty("version") + "/dist/chart.umd.min.js");
		return script.exists() ? script : null;
	}

	private static String read(Resource resource) {
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The console's page " + resource + " is missing from the jar", ex);
		}
	}

	/**
	 * A file of the page.
	 *
	 * @param resource where it is
	 * @param type its content type
	 */
	public record Asset(Resource resource, MediaType type) {
	}

}
