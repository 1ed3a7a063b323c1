package io.natsboot.core;

import java.lang.reflect.Type;

/**
 * Reads and writes JSON for {@link DefaultNatsMessageConverter}, so that the
 * application's own Jackson (3 or 2) settings apply to messages.
 */
public interface NatsJsonCodec {

	/**
	 * Serializes a value to UTF-8 JSON.
	 * @param value the value
	 * @return the JSON document
	 * @throws Exception when the value cannot be serialized
	 */
	byte[] write(Object value) throws Exception;

	/**
	 * Reads UTF-8 JSON into a type.
	 * @param json the JSON document
	 * @param type the target type, possibly generic
	 * @return the value
	 * @throws Exception when the document does not fit the type
	 */
	Object read(byte[] json, Type type) throws Exception;

}
