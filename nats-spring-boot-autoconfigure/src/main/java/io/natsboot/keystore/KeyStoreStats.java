package io.natsboot.keystore;

import java.util.Map;

/**
 * Figures of a key store's keys.
 *
 * @param totalKeys the live keys of this namespace
 * @param keysWithTtl how many of them expire
 * @param backend the backend's name ({@code nats}, {@code redis}, {@code memory})
 * @param details backend details, such as the bucket and the server version
 */
public record KeyStoreStats(long totalKeys, long keysWithTtl, String backend, Map<String, Object> details) {

	/**
	 * Creates figures.
	 */
	public KeyStoreStats {
		details = Map.copyOf(details);
	}

}
