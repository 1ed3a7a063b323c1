package io.natsboot.listener;

import java.time.Duration;

import io.natsboot.annotation.NatsListener;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.core.NatsServiceErrorException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @Payload @Valid} with the application's validator.
 */
@WithNatsServer(jetStream = false)
class NatsListenerValidationTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void anInvalidPayloadIsRefusedWithAnErrorReplyAndAValidOneIsHandled() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail")
			.withUserConfiguration(ValidatingService.class)
			.run((context) -> {
				NatsTemplate template = context.getBean(NatsTemplate.class);
				assertThat(template.requestAndConvert("signup", new Signup("ada", 36), String.class))
					.isEqualTo("welcome ada");
				assertThatExceptionOfType(NatsServiceErrorException.class)
					.isThrownBy(() -> template.request("signup", new Signup("", 3), Duration.ofSeconds(2)))
					.satisfies((ex) -> {
						assertThat(ex.getCode()).isEqualTo(400);
						assertThat(ex.getError()).isEqualTo(
								"invalid payload: age must be greater than or equal to 18, name must not be blank");
					});
			});
	}

	record Signup(@NotBlank String name, @Min(18) int age) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatingService {

		@Bean
		LocalValidatorFactoryBean validator() {
			return new LocalValidatorFactoryBean();
		}

		@NatsListener(subject = "signup")
		String signup(@Payload @Valid Signup signup) {
			return "welcome " + signup.name();
		}

	}

}
