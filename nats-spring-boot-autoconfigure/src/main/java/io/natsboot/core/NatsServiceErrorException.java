package io.natsboot.core;

/**
 * Thrown when a service answered a request with an error: a reply carrying the
 * {@code Nats-Service-Error} and {@code Nats-Service-Error-Code} headers of the NATS
 * micro-services protocol.
 */
public class NatsServiceErrorException extends NatsException {

	private static final long serialVersionUID = 1L;

	private final String subject;

	private final int code;

	private final String error;

	/**
	 * Creates the exception.
	 * @param subject the subject the request went to
	 * @param code the error code (400 unreadable request, 500 handler failure, or the
	 * service's own)
	 * @param error the error message the service sent
	 */
	public NatsServiceErrorException(String subject, int code, String error) {
		super("Service on '" + subject + "' answered with error " + code + ": " + error);
		this.subject = subject;
		this.code = code;
		this.error = error;
	}

	/**
	 * The subject the request went to.
	 * @return the subject
	 */
	public String getSubject() {
		return this.subject;
	}

	/**
	 * The error code from {@code Nats-Service-Error-Code}.
	 * @return the code, 0 when the header was missing or not a number
	 */
	public int getCode() {
		return this.code;
	}

	/**
	 * The error message from {@code Nats-Service-Error}.
	 * @return the message
	 */
	public String getError() {
		return this.error;
	}

}
