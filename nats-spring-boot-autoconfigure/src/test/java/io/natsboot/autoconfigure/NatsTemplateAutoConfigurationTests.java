package io.natsboot.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.natsboot.core.DefaultNatsMessageConverter;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

@WithNatsServer(jetStream = false)
class NatsTemplateAutoConfigurationTests {

	static String serverUrl;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
		.withPropertyValues("nats.servers=" + serverUrl);

	@BeforeAll
	static void server(NatsServerProcess server) {
		serverUrl = server.url();
	}

	@Test
	void createsATemplateWithTheNamespaceAndRequestTimeout() {
		this.contextRunner.withPropertyValues("nats.namespace=orders-app").run((context) -> {
			assertThat(context).hasSingleBean(NatsTemplate.class).hasSingleBean(NatsMessageConverter.class);
			assertThat(context.getBean(NatsTemplate.class).namespace()).isEqualTo("orders-app");
		});
	}

	@Test
	void whenUserDefinesTemplateOrConverterThenAutoConfigurationBacksOff() {
		NatsMessageConverter own = new DefaultNatsMessageConverter(null);
		this.contextRunner.withBean(NatsMessageConverter.class, () -> own).run((context) -> {
			assertThat(context.getBean(NatsMessageConverter.class)).isSameAs(own);
			assertThat(context.getBean(NatsTemplate.class).getMessageConverter()).isSameAs(own);
		});
	}

	@Test
	void theApplicationsJackson3MapperWritesTheJson() {
		JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		this.contextRunner.withBean(JsonMapper.class, () -> snakeCase)
			.run((context) -> assertThat(json(context.getBean(NatsMessageConverter.class)))
				.contains("\"created_at\":\"2026-11-23T10:15:30Z\""));
	}

	@Test
	void theApplicationsJackson2MapperIsUsedWhenThereIsNoJackson3Mapper() {
		com.fasterxml.jackson.databind.ObjectMapper upperCase = new com.fasterxml.jackson.databind.ObjectMapper()
			.findAndRegisterModules()
			.setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.UPPER_CAMEL_CASE);
		this.contextRunner.withBean(com.fasterxml.jackson.databind.ObjectMapper.class, () -> upperCase)
			.run((context) -> assertThat(json(context.getBean(NatsMessageConverter.class)))
				.contains("\"CreatedAt\":\"2026-11-23T10:15:30Z\""));
	}

	@Test
	void withoutAnApplicationMapperNatsbootsOwnWritesIsoDatesAndIgnoresUnknownProperties() {
		this.contextRunner.run((context) -> {
			NatsMessageConverter converter = context.getBean(NatsMessageConverter.class);
			assertThat(json(converter)).contains("\"createdAt\":\"2026-11-23T10:15:30Z\"");
			Object read = converter.read("{\"id\":\"e1\",\"createdAt\":\"2026-11-23T10:15:30Z\",\"extra\":1}"
				.getBytes(StandardCharsets.UTF_8), "application/json", Event.class, "events");
			assertThat(read).isEqualTo(new Event("e1", Instant.parse("2026-11-23T10:15:30Z")));
		});
	}

	@Test
	void withoutJacksonOnlyBytesAndTextConvert() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("com.fasterxml.jackson.databind", "tools.jackson.databind"))
			.run((context) -> {
				NatsMessageConverter converter = context.getBean(NatsMessageConverter.class);
				assertThat(converter.write("text", "s").data()).isEqualTo("text".getBytes(StandardCharsets.UTF_8));
				assertThat(org.assertj.core.api.Assertions
					.catchThrowable(() -> converter.write(new Event("e", null), "s")))
					.hasMessageContaining("no Jackson on the class path");
			});
	}

	@Test
	void anInvalidJetStreamDomainFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("nats.jetstream.domain=no spaces")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nats.jetstream.domain"));
	}

	@Test
	void aNonPositiveRequestTimeoutFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("nats.request-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nats.request-timeout"));
	}

	private static String json(NatsMessageConverter converter) {
		NatsMessageConverter.Payload payload = converter.write(new Event("e1", Instant.parse("2026-11-23T10:15:30Z")),
				"events");
		assertThat(payload.contentType()).isEqualTo("application/json");
		return new String(payload.data(), StandardCharsets.UTF_8);
	}

	record Event(String id, Instant createdAt) {
	}

}
