package io.natsboot.keystore;

/**
 * Creates the backends of a key store's buckets, so that
 * {@link KeyStoreOperations#forBucket} reaches another bucket of the same kind.
 */
@FunctionalInterface
public interface KeyValueBackendFactory {

	/**
	 * Creates a backend.
	 * @param bucket the bucket's name (letters, digits, {@code -}, {@code _})
	 * @param namespace the namespace isolating this application's keys, possibly empty
	 * @return the backend
	 */
	KeyValueBackend create(String bucket, String namespace);

}
