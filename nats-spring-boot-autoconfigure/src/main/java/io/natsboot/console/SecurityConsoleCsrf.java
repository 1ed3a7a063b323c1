package io.natsboot.console;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.csrf.CsrfToken;

/**
 * With Spring Security, the page sends Security's CSRF token too, which Security's
 * {@code CsrfFilter} checks where it protects the console's path. The console's own token
 * is checked all the same: that a request carries Security's token attribute does not say
 * the filter checked it (an application may exempt paths from CSRF), and actions are
 * never unprotected.
 */
public class SecurityConsoleCsrf extends ConsoleCsrf {

	@Override
	public @Nullable Token securityToken(HttpServletRequest request) {
		return (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)
				? new Token(token.getHeaderName(), token.getToken()) : null;
	}

}
