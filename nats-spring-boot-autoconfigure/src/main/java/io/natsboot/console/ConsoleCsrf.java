package io.natsboot.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseCookie;

/**
 * The CSRF protection of the console's actions, checked by the console whatever else
 * does: each browser gets a random token in a cookie of the console's path
 * ({@code HttpOnly}, {@code SameSite=Strict}) and, from {@code api/session} (a
 * same-origin read a foreign page cannot make), the same token to send with every POST in
 * a header; a POST whose header does not match its cookie is refused. A foreign page can
 * neither read the token nor send that header (it would need CORS, which the console
 * never allows), and nothing is kept on the server, so any instance behind a load
 * balancer checks any browser's POST. With Spring Security, {@link SecurityConsoleCsrf}
 * also hands out Security's own token, which its filter checks where it protects the
 * console's path.
 */
public class ConsoleCsrf {

	/** The header the page sends the console's token in. */
	public static final String HEADER = "X-Natsboot-Csrf";

	/** The cookie that holds the browser's token. */
	public static final String COOKIE = "NATSBOOT_CSRF";

	private static final int TOKEN_LENGTH = 43; // 32 random bytes in base64url

	private final SecureRandom random = new SecureRandom();

	/**
	 * The token of the browser that asks: the one its cookie holds, or a new one with the
	 * cookie that keeps it.
	 * @param request the page's request
	 * @param path the console's path, the cookie's
	 * @return the header, the token and, for a new token, its cookie
	 */
	public Issued issue(HttpServletRequest request, String path) {
		String kept = kept(request);
		if (kept != null) {
			return new Issued(new Token(HEADER, kept), null);
		}
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ResponseCookie cookie = ResponseCookie.from(COOKIE, fresh)
			.path(path)
			.httpOnly(true)
			.sameSite("Strict")
			.secure(request.isSecure())
			.build();
		return new Issued(new Token(HEADER, fresh), cookie);
	}

	/**
	 * A further token the page sends with its POSTs: Spring Security's, when a filter
	 * chain with CSRF protection handled the request.
	 * @param request the page's request
	 * @return the header's name and the token, or null for none
	 */
	public @Nullable Token securityToken(HttpServletRequest request) {
		return null;
	}

	/**
	 * Checks a POST: its header carries the token its cookie holds.
	 * @param request the request
	 * @throws ConsoleRefusedException when the token is missing or does not match
	 */
	public void check(HttpServletRequest request) {
		String sent = request.getHeader(HEADER);
		String kept = kept(request);
		if (sent == null || kept == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
				kept.getBytes(StandardCharsets.UTF_8))) {
			throw new ConsoleRefusedException(403,
					"The console's CSRF token is missing or wrong (header " + HEADER + "): reload the page");
		}
	}

	private static @Nullable String kept(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie cookie : cookies) {
			String value = cookie.getValue();
			if (COOKIE.equals(cookie.getName()) && value != null && value.length() == TOKEN_LENGTH
					&& value.matches("[A-Za-z0-9_-]+")) {
				return value;
			}
		}
		return null;
	}

	/**
	 * A CSRF token and the header it goes in.
	 *
	 * @param header the header's name
	 * @param token the token
	 */
	public record Token(String header, String token) {
	}

	/**
	 * A browser's token, and the cookie to set when it is new.
	 *
	 * @param token the token and its header
	 * @param cookie the cookie that keeps a new token, or null when the browser has it
	 */
	public record Issued(Token token, @Nullable ResponseCookie cookie) {
	}

}
