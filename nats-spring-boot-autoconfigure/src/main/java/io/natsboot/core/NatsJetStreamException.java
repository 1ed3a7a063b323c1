package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a JetStream operation fails. The message names the stream, consumer,
 * subject or bucket, and the server's error code when it sent one.
 */
public class NatsJetStreamException extends NatsException {

	private static final long serialVersionUID = 1L;

	private final int apiErrorCode;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the stream, consumer or bucket
	 * @param apiErrorCode the server's API error code (e.g. 10059 stream not found), 0
	 * when none
	 * @param cause the underlying failure
	 */
	public NatsJetStreamException(String message, int apiErrorCode, @Nullable Throwable cause) {
		super(message, cause);
		this.apiErrorCode = apiErrorCode;
	}

	/**
	 * The server's JetStream API error code.
	 * @return the code, 0 when the failure did not come from the server's API
	 */
	public int getApiErrorCode() {
		return this.apiErrorCode;
	}

}
