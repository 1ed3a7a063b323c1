package io.natsboot.keystore;

import java.time.Duration;

import io.natsboot.keystore.memory.MemoryKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The key store contract on the memory backend: every instance shares one store, as
 * instances share one server.
 */
class MemoryKeyStoreContractTests extends KeyStoreContractTests {

	private final MemoryKeyValueStore store = new MemoryKeyValueStore(Duration.ofMillis(200));

	@Override
	protected KeyValueBackendFactory newInstanceFactory() {
		return this.store;
	}

	@AfterEach
	void closeStore() {
		this.store.destroy();
	}

	@Override
	protected boolean rawPut(String bucket, String namespace, String key, byte[] value) {
		return false;
	}

	@Override
	protected byte @Nullable [] rawGet(String bucket, String namespace, String key) {
		return null;
	}

}
