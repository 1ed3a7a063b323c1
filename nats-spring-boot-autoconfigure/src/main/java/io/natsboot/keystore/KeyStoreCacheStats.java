package io.natsboot.keystore;

/**
 * Figures of the key store's local cache.
 *
 * @param enabled whether the cache is on ({@code nats.keystore.cache.enabled})
 * @param hits reads answered by the cache
 * @param misses reads that went to the backend
 * @param evictions entries dropped for size or cache TTL
 * @param size entries held now
 * @param maxSize the most entries held ({@code nats.keystore.cache.max-size})
 * @param estimatedBytes the stored bytes of the entries held, an estimate of the memory
 * they use
 */
public record KeyStoreCacheStats(boolean enabled, long hits, long misses, long evictions, long size, long maxSize,
		long estimatedBytes) {

	/**
	 * The share of reads the cache answered.
	 * @return hits / (hits + misses), or 0 before the first read
	 */
	public double hitRatio() {
		long reads = this.hits + this.misses;
		return (reads == 0) ? 0 : (double) this.hits / reads;
	}

}
