package io.natsboot.core;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Turns server URLs into text that is safe to log: user information
 * ({@code user:password@} or {@code token@}) is masked.
 */
public final class NatsServerUrls {

	private static final Pattern USER_INFO = Pattern
		.compile("(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/\\s,\\[\\]]*@");

	private NatsServerUrls() {
	}

	/**
	 * Masks the user information in one URL, or in text holding URLs.
	 * @param url a URL such as {@code nats://user:secret@host:4222}, or null
	 * @return {@code nats://******@host:4222}; empty for null
	 */
	public static String redact(@Nullable String url) {
		if (url == null) {
			return "";
		}
		return USER_INFO.matcher(url).replaceAll("$1******@");
	}

	/**
	 * Masks the user information in several URLs.
	 * @param urls the URLs
	 * @return the masked URLs
	 */
	public static List<String> redact(Collection<String> urls) {
		return urls.stream().map(NatsServerUrls::redact).toList();
	}

}
