package io.natsboot.keystore;

/**
 * A running {@link KeyStoreOperations#watch watch}; close it to stop receiving events.
 */
public interface KeyWatch extends AutoCloseable {

	/**
	 * The glob pattern watched.
	 * @return the pattern
	 */
	String pattern();

	/**
	 * Stops the watch. Closing twice does nothing.
	 */
	@Override
	void close();

}
