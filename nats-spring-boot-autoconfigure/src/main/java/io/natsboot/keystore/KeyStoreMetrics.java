package io.natsboot.keystore;

/**
 * Receives the {@link KeyStoreTemplate}'s operations that reached its backend, for
 * metrics (cache hits are counted by the cache's figures). The default records nothing;
 * with Micrometer on the class path and a {@code MeterRegistry} bean, natsboot records a
 * timer. A bean of this type replaces natsboot's.
 */
public interface KeyStoreMetrics {

	/** A recorder that records nothing. */
	KeyStoreMetrics NONE = new KeyStoreMetrics() {
	};

	/**
	 * A key store operation reached its backend.
	 * @param bucket the bucket
	 * @param operation the operation, e.g. {@code store}, {@code retrieve}
	 * @param nanos how long it took
	 * @param outcome {@code success} or {@code error}
	 */
	default void keyStoreOperation(String bucket, String operation, long nanos, String outcome) {
	}

}
