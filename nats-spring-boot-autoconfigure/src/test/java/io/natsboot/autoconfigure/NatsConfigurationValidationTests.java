package io.natsboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad configuration fails start-up with a message naming the property and what it
 * accepts.
 */
class NatsConfigurationValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					nats.servers=                                        | nats.servers                | List at least one server URL
					nats.servers=nats://bad host:4222                    | nats.servers                | Not a NATS server URL
					nats.connection-timeout=0s                           | nats.connection-timeout     | Use a positive duration
					nats.ping-interval=-1s                               | nats.ping-interval          | Use a positive duration
					nats.drain-timeout=0s                                | nats.drain-timeout          | Use a positive duration
					nats.reconnect.wait=-1s                              | nats.reconnect.wait         | Use a duration of 0 or more
					nats.reconnect.max-attempts=-2                       | nats.reconnect.max-attempts | Use -1 to reconnect forever
					nats.password=secret                                 | nats.password               | A password needs nats.username
					nats.nkey-seed=not-a-seed                            | nats.nkey-seed              | Not a valid NKey seed
					nats.credentials=file:/nonexistent/app.creds         | nats.credentials            | does not exist
					nats.ssl.bundle=missing                              | nats.ssl.bundle             | No SSL bundle
					nats.inbox-prefix=_INBOX.>                           | nats.inbox-prefix           | without spaces or wildcards
					""")
	void aBadValueFailsStartupNamingTheProperty(String property, String name, String reason) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
					InvalidConfigurationPropertyValueException.class);
			assertThat(failure.getName()).isEqualTo(name);
			assertThat(failure.getMessage()).contains(name).contains(reason);
		});
	}

	@Test
	void twoAuthenticationMethodsAreRefused() {
		this.contextRunner.withPropertyValues("nats.username=alice", "nats.password=secret", "nats.token=t0ken")
			.run((context) -> {
				InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
						InvalidConfigurationPropertyValueException.class);
				assertThat(failure.getMessage()).contains("Configure one authentication method")
					.doesNotContain("secret")
					.doesNotContain("t0ken");
			});
	}

	@Test
	void aSeedOfTheWrongKindIsRefused() {
		String accountSeed = new String(uncheckedAccountSeed());
		this.contextRunner.withPropertyValues("nats.nkey-seed=" + accountSeed).run((context) -> {
			InvalidConfigurationPropertyValueException failure = findCause(context.getStartupFailure(),
					InvalidConfigurationPropertyValueException.class);
			assertThat(failure.getMessage()).contains("nats.nkey-seed")
				.contains("Expected a user NKey seed")
				.doesNotContain(accountSeed);
		});
	}

	@Test
	void anUnknownStartupModeFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("nats.startup=sometimes").run((context) -> {
			BindException failure = findCause(context.getStartupFailure(), BindException.class);
			assertThat(failure.getMessage()).contains("nats.startup");
			assertThat(NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).contains("sometimes");
		});
	}

	private static char[] uncheckedAccountSeed() {
		try {
			return io.nats.client.NKey.createAccount(null).getSeed();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
	}

}
