package io.natsboot.console;

import java.time.Duration;

/**
 * How the console behaves ({@code nats.console.*}).
 *
 * @param path where it is served, e.g. {@code /natsboot}
 * @param actionsEnabled whether it may act; read-only otherwise
 * @param showValues whether the key store view shows values
 * @param refreshInterval how often the page refreshes its figures
 * @param taskCensusLimit the most task statuses read to count tasks by type and state
 * @param application the application's name
 * @param instanceId this instance's id
 */
public record ConsoleSettings(String path, boolean actionsEnabled, boolean showValues, Duration refreshInterval,
		int taskCensusLimit, String application, String instanceId) {

	/**
	 * Checks and normalises the path: one leading slash, no trailing one.
	 */
	public ConsoleSettings {
		String trimmed = path.trim();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		if (trimmed.isEmpty() || !trimmed.startsWith("/") || !trimmed.matches("[A-Za-z0-9/_.~-]+")) {
			throw new IllegalArgumentException("nats.console.path '" + path
					+ "' is not a path: it starts with '/' and holds letters, digits, '/', '-', '_', '.' and '~'");
		}
		path = trimmed;
	}

}
