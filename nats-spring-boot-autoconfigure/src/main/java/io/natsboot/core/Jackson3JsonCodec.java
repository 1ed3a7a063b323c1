package io.natsboot.core;

import java.lang.reflect.Type;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link NatsJsonCodec} on the application's Jackson 3 {@link JsonMapper} (Spring Boot 4's
 * default), so {@code spring.jackson.*} settings apply to messages too; unknown properties are
 * ignored on read.
 */
public class Jackson3JsonCodec implements NatsJsonCodec {

	private final JsonMapper mapper;

	/**
	 * Creates a codec.
	 * @param mapper the application's mapper
	 */
	public Jackson3JsonCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public byte[] write(Object value) {
		return this.mapper.writeValueAsBytes(value);
	}

	@Override
	public Object read(byte[] json, Type type) {
		return this.mapper.readerFor(this.mapper.constructType(type))
			.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.readValue(json);
	}

}
