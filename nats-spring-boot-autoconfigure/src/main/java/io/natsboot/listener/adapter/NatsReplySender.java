package io.natsboot.listener.adapter;

import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsOperations;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Sends a listener's answer to a request's reply subject: its return value converted like
 * any payload, or, when it failed, an empty reply with the {@code Nats-Service-Error} and
 * {@code -Code} headers ({@code 400} when the request could not be converted, {@code 500}
 * otherwise) that {@code NatsTemplate.request} turns into a
 * {@code NatsServiceErrorException}. A message without reply subject gets no answer.
 */
public final class NatsReplySender {

	// the container's category, where these messages were logged before replies had a
	// class of their own, so logging configured for it still applies
	private static final LogAccessor logger = new LogAccessor("io.natsboot.listener.SubscriptionListenerContainer");

	private final String listenerId;

	private final NatsMessageConverter converter;

	private final NatsOperations replies;

	/**
	 * Creates a sender for one listener.
	 * @param listenerId the listener's id, for logs
	 * @param converter writes return values
	 * @param replies publishes the replies, without namespace (reply subjects are full
	 * subjects)
	 */
	public NatsReplySender(String listenerId, NatsMessageConverter converter, NatsOperations replies) {
		this.listenerId = listenerId;
		this.converter = converter;
		this.replies = replies;
	}

	/**
	 * Answers a request with a listener's return value; a null value sends nothing.
	 * @param request the message the listener handled
	 * @param value what it returned
	 */
	public void reply(NatsMessage request, @Nullable Object value) {
		if (value == null) {
			return;
		}
		String replyTo = request.replyTo();
		if (replyTo == null) {
			logger.debug(() -> "Listener '" + this.listenerId + "' returned a value for a message from '"
					+ request.subject() + "' without reply subject; dropped");
			return;
		}
		try {
			NatsMessageConverter.Payload payload = this.converter.write(value, replyTo);
			NatsMessage.Builder reply = NatsMessage.builder(replyTo).payload(payload.data());
			if (payload.contentType() != null) {
				reply.header(NatsHeaders.CONTENT_TYPE, payload.contentType());
			}
			this.replies.publish(reply.build());
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Listener '" + this.listenerId + "' could not send its reply to '" + replyTo + "'");
			replyWithError(request, 500, "cannot send the reply: " + ex.getMessage());
		}
	}

	/**
	 * Answers a request whose listener failed, when it has a reply subject.
	 * @param request the message the listener failed on
	 * @param failure the failure, described in the error header
	 */
	public void replyWithFailure(NatsMessage request, Exception failure) {
		if (request.replyTo() != null) {
			replyWithError(request, ListenerFailures.isConversionFailure(failure) ? 400 : 500,
					ListenerFailures.describe(failure));
		}
	}

	private void replyWithError(NatsMessage request, int code, String error) {
		String headerValue = NatsMessage.toHeaderValue(error);
		try {
			this.replies.publish(NatsMessage.builder(request.replyTo())
				.header(NatsHeaders.SERVICE_ERROR, headerValue.isEmpty() ? "error" : headerValue)
				.header(NatsHeaders.SERVICE_ERROR_CODE, String.valueOf(code))
				.build());
		}
		catch (RuntimeException ex) {
			logger.debug(ex, () -> "Could not send an error reply to '" + request.replyTo() + "'");
		}
	}

}
