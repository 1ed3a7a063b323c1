package io.natsboot.keystore;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link KeyStoreTemplate} behaves, from {@code nats.keystore.*}.
 *
 * @param bucket the bucket (NATS KV bucket, Redis key prefix, memory map)
 * @param namespace the namespace isolating this application's keys, possibly empty
 * @param defaultFormat the format of values stored without one
 * @param defaultTtl the TTL of keys stored without one, or null for none
 * @param cacheEnabled whether reads are cached locally
 * @param cacheMaxSize the most entries the local cache holds
 * @param cacheTtl how long a cache entry is kept at most, or null for as long as it is
 * valid
 */
public record KeyStoreSettings(String bucket, String namespace, KeyFormat defaultFormat, @Nullable Duration defaultTtl,
		boolean cacheEnabled, long cacheMaxSize, @Nullable Duration cacheTtl) {

	/**
	 * Settings with the documented defaults for a bucket: JSON, no TTL, a cache of 10,000
	 * entries.
	 * @param bucket the bucket
	 * @param namespace the namespace, possibly empty
	 * @return the settings
	 */
	public static KeyStoreSettings defaults(String bucket, String namespace) {
		return new KeyStoreSettings(bucket, namespace, KeyFormat.JSON, null, true, 10_000, null);
	}

	/**
	 * The same settings for another bucket.
	 * @param otherBucket the bucket
	 * @return the settings
	 */
	public KeyStoreSettings withBucket(String otherBucket) {
		return new KeyStoreSettings(otherBucket, this.namespace, this.defaultFormat, this.defaultTtl, this.cacheEnabled,
				this.cacheMaxSize, this.cacheTtl);
	}

}
