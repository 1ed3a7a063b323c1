package io.natsboot.console;

import java.util.List;
import java.util.Map;

/**
 * The health of natsboot's components as the overview lists them: each with
 * {@code component}, {@code status} and {@code details}.
 */
@FunctionalInterface
public interface ConsoleHealth {

	/** No health indicators (Spring Boot's health module is absent). */
	ConsoleHealth NONE = List::of;

	/**
	 * The components' health, asked now.
	 * @return one map per component
	 */
	List<Map<String, Object>> components();

}
