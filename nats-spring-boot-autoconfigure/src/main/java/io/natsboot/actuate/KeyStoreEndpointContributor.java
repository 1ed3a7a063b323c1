package io.natsboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.natsboot.keystore.KeyStoreTemplate;

/**
 * The {@code keystore} section of {@code /actuator/nats}: the backend and bucket status
 * (entries, bytes, history, server version) and the local cache's figures.
 */
public class KeyStoreEndpointContributor implements NatsEndpointContributor {

	private final KeyStoreTemplate keyStore;

	/**
	 * Creates the contributor.
	 * @param keyStore the key store
	 */
	public KeyStoreEndpointContributor(KeyStoreTemplate keyStore) {
		this.keyStore = keyStore;
	}

	@Override
	public String name() {
		return "keystore";
	}

	@Override
	public boolean needsConnection() {
		return "nats".equals(this.keyStore.getBackend().name()); // Redis and memory do
																	// not
	}

	@Override
	public Object describe() {
		Map<String, Object> section = new LinkedHashMap<>(this.keyStore.getBackend().describe());
		section.put("cache", this.keyStore.cacheStats());
		section.put("cacheServing", this.keyStore.isCacheServing());
		return section;
	}

}
