package io.natsboot.core;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@link NatsJsonCodec} on Jackson 2 ({@code com.fasterxml}): ISO-8601 dates, unknown
 * properties ignored on read, whatever the mapper's own settings.
 */
public class Jackson2JsonCodec implements NatsJsonCodec {

	private final ObjectMapper mapper;

	private final ObjectWriter writer;

	/** Readers are immutable and costly to build: one per target type. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * Creates a codec on natsboot's own mapper (with the Java time module when present).
	 */
	public Jackson2JsonCodec() {
		this(new ObjectMapper().findAndRegisterModules());
	}

	/**
	 * Creates a codec on the application's mapper.
	 * @param mapper the mapper
	 */
	public Jackson2JsonCodec(ObjectMapper mapper) {
		this.mapper = mapper;
		this.writer = mapper.writer().without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
	}

	@Override
	public byte[] write(Object value) throws Exception {
		return this.writer.writeValueAsBytes(value);
	}

	@Override
	public Object read(byte[] json, Type type) throws Exception {
		ObjectReader reader = this.readers.get(type);
		if (reader == null) {
			reader = this.readers.computeIfAbsent(type, (key) -> this.mapper.readerFor(this.mapper.constructType(key))
				.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
		}
		return reader.readValue(json);
	}

}
