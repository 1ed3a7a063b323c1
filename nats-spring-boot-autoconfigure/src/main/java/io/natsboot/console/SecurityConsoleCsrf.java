package io.natsboot.console;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.csrf.CsrfToken;

/**
 * With Spring Security, the console's POSTs carry Security's CSRF token, which its
 * {@code CsrfFilter} checks before the console sees the request. When no filter chain
 * with CSRF protection handled the request (the application turned it off for the
 * console's path), the console's own token is required instead: actions are never
 * unprotected.
 */
public class SecurityConsoleCsrf extends ConsoleCsrf {

	@Override
	public Token token(HttpServletRequest request) {
		CsrfToken token = securityToken(request);
		return (token != null) ? new Token(token.getHeaderName(), token.getToken()) : super.token(request);
	}

	@Override
	public void check(HttpServletRequest request) {
		if (securityToken(request) == null) {
			super.check(request);
		}
	}

	private static CsrfToken securityToken(HttpServletRequest request) {
		return (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) ? token : null;
	}

}
