package io.natsboot.core;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The default {@link NatsMessageConverter}: {@code byte[]} as is, {@code String} as
 * UTF-8, anything else as JSON ({@code Content-Type: application/json}) through a
 * {@link NatsJsonCodec}. Read as {@code Object}, a payload that is JSON gives what JSON
 * holds (maps, lists, strings, numbers) and one that is not JSON, unless it says it is,
 * its text.
 */
public class DefaultNatsMessageConverter implements NatsMessageConverter {

	/** The content type of JSON payloads. */
	public static final String APPLICATION_JSON = "application/json";

	/** The content type of text payloads. */
	public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

	private final @Nullable NatsJsonCodec json;

	/**
	 * Creates a converter.
	 * @param json the JSON codec, or null when no Jackson is on the class path (then only
	 * {@code byte[]} and {@code String} convert)
	 */
	public DefaultNatsMessageConverter(@Nullable NatsJsonCodec json) {
		this.json = json;
	}

	@Override
	public Payload write(Object payload, String subject) {
		if (payload instanceof byte[] bytes) {
			return new Payload(bytes, null);
		}
		if (payload instanceof String text) {
			return new Payload(text.getBytes(StandardCharsets.UTF_8), null);
		}
		try {
			return new Payload(codec(payload.getClass(), subject).write(payload), APPLICATION_JSON);
		}
		catch (NatsConversionException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new NatsConversionException("Cannot convert a " + payload.getClass().getName()
					+ " to JSON for subject '" + subject + "': " + ex.getMessage(), ex);
		}
	}

	@Override
	public @Nullable Object read(byte[] data, @Nullable String contentType, Type targetType, String subject) {
		if (targetType == byte[].class) {
			return data;
		}
		if (targetType == String.class) {
			return new String(data, StandardCharsets.UTF_8);
		}
		if (data.length == 0) {
			return null;
		}
		try {
			return codec(targetType, subject).read(data, targetType);
		}
		catch (NatsConversionException ex) {
			throw ex;
		}
		catch (Exception ex) {
			if (targetType == Object.class && !APPLICATION_JSON.equals(contentType)) {
				// "any value" of a payload that was not written as JSON (a String is
				// written as its text, and a task result or key-value entry keeps no
				// content type): it is that text
				return new String(data, StandardCharsets.UTF_8);
			}
			throw new NatsConversionException("Cannot read the payload from subject '" + subject + "' as "
					+ targetType.getTypeName() + ": " + ex.getMessage(), ex);
		}
	}

	private NatsJsonCodec codec(Type type, String subject) {
		if (this.json == null) {
			throw new NatsConversionException("Cannot convert " + type.getTypeName() + " for subject '" + subject
					+ "': no Jackson on the class path; send byte[] or String, or add jackson-databind", null);
		}
		return this.json;
	}

}
