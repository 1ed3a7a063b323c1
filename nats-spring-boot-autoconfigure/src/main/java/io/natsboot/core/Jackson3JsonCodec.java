package io.natsboot.core;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link NatsJsonCodec} on the application's Jackson 3 {@link JsonMapper} (Spring Boot
 * 4's default), so {@code spring.jackson.*} settings apply to messages too; unknown
 * properties are ignored on read.
 */
public class Jackson3JsonCodec implements NatsJsonCodec {

	private final JsonMapper mapper;

	/** Readers are immutable and costly to build: one per target type. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

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
		ObjectReader reader = this.readers.get(type);
		if (reader == null) {
			reader = this.readers.computeIfAbsent(type, (key) -> this.mapper.readerFor(this.mapper.constructType(key))
				.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
		}
		return reader.readValue(json);
	}

}
