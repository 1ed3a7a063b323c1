package io.natsboot.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link DefaultNatsMessageConverter} reads a payload as any value.
 */
class DefaultNatsMessageConverterTests {

	private final DefaultNatsMessageConverter converter = new DefaultNatsMessageConverter(
			new Jackson3JsonCodec(JsonMapper.builder().build()));

	@Test
	void aStringWrittenWithoutContentTypeReadsBackAsAnyValue() {
		NatsMessageConverter.Payload written = this.converter.write("receipt sent", "results");
		assertThat(this.converter.read(written.data(), written.contentType(), Object.class, "results"))
			.isEqualTo("receipt sent");
	}

	@Test
	void jsonReadsAsWhatItHolds() {
		NatsMessageConverter.Payload written = this.converter.write(Map.of("items", List.of(1, 2)), "results");
		assertThat(this.converter.read(written.data(), written.contentType(), Object.class, "results"))
			.isEqualTo(Map.of("items", List.of(1, 2)));
		assertThat(this.converter.read("\"text\"".getBytes(StandardCharsets.UTF_8), null, Object.class, "results"))
			.isEqualTo("text");
	}

	@Test
	void aPayloadThatSaysItIsJsonButIsNotFailsNamingTheSubject() {
		assertThatExceptionOfType(NatsConversionException.class)
			.isThrownBy(() -> this.converter.read("receipt sent".getBytes(StandardCharsets.UTF_8),
					DefaultNatsMessageConverter.APPLICATION_JSON, Object.class, "results"))
			.withMessageContaining("subject 'results'");
	}

}
