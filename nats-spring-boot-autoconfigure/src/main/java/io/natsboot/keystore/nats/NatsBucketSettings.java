package io.natsboot.keystore.nats;

import java.time.Duration;

import io.nats.client.api.StorageType;

/**
 * How the key store's NATS KV buckets are created or updated, from
 * {@code nats.keystore.*}.
 *
 * @param history values kept per key (1 to 64)
 * @param replicas replicas of each bucket's stream
 * @param storage file or memory storage
 * @param maxValueSize the largest value in bytes, or -1 for the server's limit
 * @param sweepInterval how often expired keys are purged (servers before 2.11 keep them
 * until then; reads never return them)
 * @param timeout how long a read or write waits for the server
 * @param failoverTimeout how long a write is repeated through a leader election of the
 * bucket
 */
public record NatsBucketSettings(int history, int replicas, StorageType storage, int maxValueSize,
		Duration sweepInterval, Duration timeout, Duration failoverTimeout) {

	/**
	 * Settings whose writes are not repeated through a leader election.
	 * @param history values kept per key (1 to 64)
	 * @param replicas replicas of each bucket's stream
	 * @param storage file or memory storage
	 * @param maxValueSize the largest value in bytes, or -1 for the server's limit
	 * @param sweepInterval how often expired keys are purged
	 * @param timeout how long a read or write waits for the server
	 */
	public NatsBucketSettings(int history, int replicas, StorageType storage, int maxValueSize, Duration sweepInterval,
			Duration timeout) {
		this(history, replicas, storage, maxValueSize, sweepInterval, timeout, Duration.ZERO);
	}

	/**
	 * The documented defaults: history 1, one replica, file storage, no value size limit,
	 * a sweep every second, 5 s timeout.
	 * @return the settings
	 */
	public static NatsBucketSettings defaults() {
		return new NatsBucketSettings(1, 1, StorageType.File, -1, Duration.ofSeconds(1), Duration.ofSeconds(5));
	}

}
