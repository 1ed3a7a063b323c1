package io.natsboot.core;

import org.jspecify.annotations.Nullable;

/**
 * The server refused this connection's permission to publish to or subscribe to a
 * subject, so a call could not succeed. The NATS server reports such a refusal only as an
 * asynchronous {@code -ERR 'Permissions Violation for Publish to "x"'} (or
 * {@code ... for Subscription to "x"}); the {@link NatsExceptionTranslator} ties it to
 * the call that timed out or received nothing and throws this instead of a timeout.
 */
public class NatsPermissionException extends NatsException {

	private static final long serialVersionUID = 1L;

	private final String subject;

	private final Operation operation;

	private final Denied denied;

	/**
	 * Creates the exception.
	 * @param message what failed, naming the subject and the operation
	 * @param subject the subject the server refused
	 * @param operation what the application tried to do
	 * @param denied what the server refused on that subject
	 * @param cause the timeout or empty result the refusal explains, or null
	 */
	public NatsPermissionException(String message, String subject, Operation operation, Denied denied,
			@Nullable Throwable cause) {
		super(message, cause);
		this.subject = subject;
		this.operation = operation;
		this.denied = denied;
	}

	/**
	 * The subject the server refused, as the server named it (with the namespace, a reply
	 * inbox such as {@code _INBOX.abc.*}, or a JetStream API subject).
	 * @return the subject
	 */
	public String getSubject() {
		return this.subject;
	}

	/**
	 * What the application tried to do.
	 * @return the operation
	 */
	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * Whether the server refused a publish or a subscription on {@link #getSubject()}.
	 * @return the refused permission
	 */
	public Denied getDenied() {
		return this.denied;
	}

	/**
	 * What the application tried to do when the server refused.
	 */
	public enum Operation {

		/** A core publish ({@code NatsTemplate.publish}). */
		PUBLISH("publish"),

		/**
		 * A core subscription ({@code NatsTemplate.subscribe}, a {@code @NatsListener}).
		 */
		SUBSCRIBE("subscribe"),

		/** A core request ({@code NatsTemplate.request}). */
		REQUEST("request"),

		/** A JetStream API call or JetStream publish. */
		JETSTREAM_API("JetStream API call"),

		/** A key store call on the NATS backend. */
		KEY_STORE("key store call");

		private final String description;

		Operation(String description) {
			this.description = description;
		}

		/**
		 * The operation in words, for messages.
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

	/**
	 * The permission the server refused.
	 */
	public enum Denied {

		/** Publishing to the subject. */
		PUBLISH,

		/** Subscribing to the subject. */
		SUBSCRIBE

	}

}
