package io.natsboot.autoconfigure;

import io.natsboot.core.Jackson2JsonCodec;
import io.natsboot.core.Jackson3JsonCodec;
import io.natsboot.core.NatsJsonCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Chooses the JSON codec for messages: the application's Jackson 3 {@code JsonMapper}
 * when it has one, else its Jackson 2 {@code ObjectMapper}, else natsboot's own Jackson 2
 * mapper. Each Jackson is touched only when it is on the class path.
 */
final class NatsJsonCodecs {

	private static final String JACKSON_3_MAPPER = "tools.jackson.databind.json.JsonMapper";

	private static final String JACKSON_2_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

	private NatsJsonCodecs() {
	}

	static @Nullable NatsJsonCodec select(ListableBeanFactory beanFactory, @Nullable ClassLoader classLoader) {
		if (ClassUtils.isPresent(JACKSON_3_MAPPER, classLoader)) {
			NatsJsonCodec codec = Jackson3.fromApplication(beanFactory);
			if (codec != null) {
				return codec;
			}
		}
		return ClassUtils.isPresent(JACKSON_2_MAPPER, classLoader) ? Jackson2.fromApplicationOrOwn(beanFactory) : null;
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
