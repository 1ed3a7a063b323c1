package io.natsboot.observation;

import io.micrometer.observation.Observation;

/**
 * The context of a key store operation that reaches its backend (reads the local cache
 * answers are not observed).
 */
public class KeyStoreObservationContext extends Observation.Context {

	private final String bucket;

	private final String operation;

	private final String backend;

	/**
	 * Creates the context of one operation.
	 * @param bucket the bucket
	 * @param operation the operation, e.g. {@code get}, {@code store}
	 * @param backend the backend: {@code nats}, {@code redis} or {@code memory}
	 */
	public KeyStoreObservationContext(String bucket, String operation, String backend) {
		this.bucket = bucket;
		this.operation = operation;
		this.backend = backend;
	}

	/**
	 * The bucket.
	 * @return the bucket
	 */
	public String getBucket() {
		return this.bucket;
	}

	/**
	 * The operation.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * The backend.
	 * @return {@code nats}, {@code redis} or {@code memory}
	 */
	public String getBackend() {
		return this.backend;
	}

}
