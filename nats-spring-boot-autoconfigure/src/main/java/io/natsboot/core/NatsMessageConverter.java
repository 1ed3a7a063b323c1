package io.natsboot.core;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Converts payloads to the bytes of a NATS message and back. The default,
 * {@link DefaultNatsMessageConverter}, passes {@code byte[]} through, writes
 * {@code String} as UTF-8 and everything else as JSON; a bean of this type replaces it.
 */
public interface NatsMessageConverter {

	/**
	 * Converts a payload to bytes.
	 * @param payload the payload
	 * @param subject the subject it goes to, for error messages
	 * @return the bytes and their content type
	 * @throws NatsConversionException when the payload cannot be converted
	 */
	Payload write(Object payload, String subject);

	/**
	 * Converts bytes to a type.
	 * @param data the message's bytes
	 * @param contentType the message's {@code Content-Type} header, or null
	 * @param targetType the type to produce, possibly generic
	 * @param subject the subject the bytes came from, for error messages
	 * @return the converted value
	 * @throws NatsConversionException when the bytes do not fit the type
	 */
	@Nullable Object read(byte[] data, @Nullable String contentType, Type targetType, String subject);

	/**
	 * Bytes ready to send, with the {@code Content-Type} that describes them.
	 *
	 * @param data the bytes
	 * @param contentType the content type, or null when none is to be sent
	 */
	record Payload(byte[] data, @Nullable String contentType) {
	}

}
