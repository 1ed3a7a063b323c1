package io.natsboot.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The overview's health from natsboot's health indicators, named as the health endpoint
 * names them (the bean name without {@code HealthIndicator}). An indicator that throws is
 * shown DOWN with the failure, as the endpoint would.
 */
public class HealthIndicatorConsoleHealth implements ConsoleHealth {

	private final Map<String, HealthIndicator> indicators;

	/**
	 * Creates the health.
	 * @param indicators the indicators by bean name
	 */
	public HealthIndicatorConsoleHealth(Map<String, HealthIndicator> indicators) {
		this.indicators = new LinkedHashMap<>(indicators);
	}

	@Override
	public List<Map<String, Object>> components() {
		List<Map<String, Object>> components = new ArrayList<>();
		this.indicators.forEach((beanName, indicator) -> {
			Map<String, Object> component = new LinkedHashMap<>();
			component.put("component", beanName.endsWith("HealthIndicator")
					? beanName.substring(0, beanName.length() - "HealthIndicator".length()) : beanName);
			try {
				Health health = indicator.health(true);
				component.put("status", (health != null) ? health.getStatus().getCode() : "UNKNOWN");
				component.put("details", (health != null) ? health.getDetails() : Map.of());
			}
			catch (RuntimeException ex) {
				component.put("status", "DOWN");
				component.put("details", Map.of("error", String.valueOf(ex.getMessage())));
			}
			components.add(component);
		});
		return components;
	}

}
