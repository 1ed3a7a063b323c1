package io.natsboot.jetstream;

import io.nats.client.JetStreamApiException;

/**
 * The JetStream API error codes natsboot acts on, in one place
 * ({@code JetStreamApiException.getApiErrorCode()}).
 */
public final class JetStreamErrors {

	/**
	 * "no suitable peers for placement": fewer servers than replicas (or none matches the
	 * placement).
	 */
	public static final int NO_SUITABLE_PEERS = 10005;

	/** "consumer not found". */
	public static final int CONSUMER_NOT_FOUND = 10014;

	/** "insufficient resources": not enough servers (or storage) for the replicas. */
	public static final int INSUFFICIENT_RESOURCES = 10023;

	/**
	 * "no message found": a sequence or subject without a message (also a key never
	 * written).
	 */
	public static final int NO_MESSAGE_FOUND = 10037;

	/** "stream name already in use with a different configuration". */
	public static final int STREAM_NAME_IN_USE = 10058;

	/**
	 * "stream not found" (also a key-value or object store bucket that does not exist).
	 */
	public static final int STREAM_NOT_FOUND = 10059;

	/**
	 * "wrong last sequence": an expected revision or last subject sequence did not match.
	 */
	public static final int WRONG_LAST_SEQUENCE = 10071;

	/** "replicas > 1 not supported in non-clustered mode". */
	public static final int REPLICAS_NOT_SUPPORTED = 10074;

	private JetStreamErrors() {
	}

	/**
	 * Whether a read by sequence or subject found nothing: the API's error, or the 404
	 * status a direct get answers with instead.
	 * @param ex the failure
	 * @return true when there is no message there
	 */
	public static boolean isNoMessage(JetStreamApiException ex) {
		return ex.getApiErrorCode() == NO_MESSAGE_FOUND || ex.getErrorCode() == 404;
	}

}
