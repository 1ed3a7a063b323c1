package io.natsboot.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The CSRF protection of the console's actions: the page reads a token from
 * {@code api/session} (a same-origin read a foreign page cannot make) and sends it with
 * every POST in a header, and the console checks it, whatever else does: one random token
 * per application run. With Spring Security, {@link SecurityConsoleCsrf} also hands out
 * Security's own token, which its filter checks where it protects the console's path.
 */
public class ConsoleCsrf {

	/** The header the page sends the console's token in. */
	public static final String HEADER = "X-Natsboot-Csrf";

	private final String token;

	/**
	 * Creates the protection with a fresh random token.
	 */
	public ConsoleCsrf() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	/**
	 * The header and token the page sends with its POSTs.
	 * @param request the page's request
	 * @return the header's name and the token
	 */
	public Token token(HttpServletRequest request) {
		return new Token(HEADER, this.token);
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
	 * Checks a POST.
	 * @param request the request
	 * @throws ConsoleRefusedException when its token is missing or wrong
	 */
	public void check(HttpServletRequest request) {
		String sent = request.getHeader(HEADER);
		if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
				this.token.getBytes(StandardCharsets.UTF_8))) {
			throw new ConsoleRefusedException(403,
					"The console's CSRF token is missing or wrong (header " + HEADER + "): reload the page");
		}
	}

	/**
	 * A CSRF token and the header it goes in.
	 *
	 * @param header the header's name
	 * @param token the token
	 */
	public record Token(String header, String token) {
	}

}
