package io.natsboot.console;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * With Spring Security, the console needs an authenticated user with the console's
 * authority ({@code nats.console.authority}), whatever the application's filter chains
 * permit: the application's chain signs users in (form, basic, OAuth2, ...), this checks
 * what they may see.
 */
public class SecurityConsoleAccess implements ConsoleAccess {

	private final String authority;

	/**
	 * Creates the check.
	 * @param authority the authority a user needs, e.g. {@code ROLE_NATS_CONSOLE}
	 */
	public SecurityConsoleAccess(String authority) {
		this.authority = authority;
	}

	@Override
	public void check(HttpServletRequest request) {
		Authentication user = SecurityContextHolder.getContext().getAuthentication();
		if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
			throw new ConsoleRefusedException(401, "Sign in to use the natsboot console");
		}
		boolean allowed = user.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch(this.authority::equals);
		if (!allowed) {
			throw new ConsoleRefusedException(403,
					"The natsboot console needs the authority '" + this.authority + "' (nats.console.authority)");
		}
	}

}
