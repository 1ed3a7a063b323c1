package io.natsboot.console;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may use the console: checked on every console request, page and API alike.
 */
@FunctionalInterface
public interface ConsoleAccess {

	/** Anyone who reaches the application (no Spring Security). */
	ConsoleAccess OPEN = (request) -> {
	};

	/**
	 * Checks a request.
	 * @param request the request
	 * @throws ConsoleRefusedException when it may not use the console
	 */
	void check(HttpServletRequest request);

}
