package io.natsboot.autoconfigure;

import io.natsboot.core.Jackson2JsonCodec;
import io.natsboot.core.Jackson3JsonCodec;
import io.natsboot.core.NatsJsonCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Chooses the JSON codec for messages: the application's Jackson 3 {@code JsonMapper} when it has
 * one, else its Jackson 2 {@code ObjectMapper}, else natsboot's own Jackson 2 mapper. Each Jackson
 * is touched only when it is on the class path.
 */
final class NatsJsonCodecs {

	private static final ClassLoader CLASS_LOADER = NatsJsonCodecs.class.getClassLoader();

	private static final boolean JACKSON_3_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			CLASS_LOADER);

	private static final boolean JACKSON_2_PRESENT = ClassUtils
		.isPresent("com.fasterxml.jackson.databind.ObjectMapper", CLASS_LOADER);

	private NatsJsonCodecs() {
	}

	static @Nullable NatsJsonCodec select(ListableBeanFactory beanFactory) {
		if (JACKSON_3_PRESENT) {
			NatsJsonCodec codec = Jackson3.fromApplication(beanFactory);
			if (codec != null) {
				return codec;
			}
		}
		return JACKSON_2_PRESENT ? Jackson2.fromApplicationOrOwn(beanFactory) : null;
	}

	private static final class Jackson3 {

		static @Nullable NatsJsonCodec fromApplication(ListableBeanFactory beanFactory) {
			tools.jackson.databind.json.JsonMapper mapper = beanFactory
				.getBeanProvider(tools.jackson.databind.json.JsonMapper.class)
				.getIfUnique();
			return (mapper != null) ? new Jackson3JsonCodec(mapper) : null;
		}

	}

	private static final class Jackson2 {

		static NatsJsonCodec fromApplicationOrOwn(ListableBeanFactory beanFactory) {
			com.fasterxml.jackson.databind.ObjectMapper mapper = beanFactory
				.getBeanProvider(com.fasterxml.jackson.databind.ObjectMapper.class)
				.getIfUnique();
			return (mapper != null) ? new Jackson2JsonCodec(mapper) : new Jackson2JsonCodec();
		}

	}

}
