package io.natsboot.autoconfigure;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.natsboot.console.ConsoleAccess;
import io.natsboot.console.ConsoleRoutes;
import io.natsboot.console.SecurityConsoleAccess;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the console is served, and how it is guarded: off by default, only in servlet web
 * applications, behind Spring Security when the application has it and with a warning
 * when not; a path that is no path is refused naming the property.
 */
@WithNatsServer
@ExtendWith(OutputCaptureExtension.class)
class NatsConsoleAutoConfigurationTests {

	static String url;

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsConsoleAutoConfiguration.class))
		.withPropertyValues("nats.startup=fail", "nats.drain-timeout=1s", "nats.namespace=console-config");

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void theConsoleIsOffByDefault() {
		this.web.withPropertyValues("nats.servers=" + url).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ConsoleRoutes.class).doesNotHaveBean(RouterFunction.class);
		});
	}

	@Test
	void anApplicationThatIsNoServletWebApplicationHasNoConsole() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsConsoleAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.console.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ConsoleRoutes.class);
			});
	}

	@Test
	void withSpringSecurityTheConsoleNeedsTheConfiguredAuthority(CapturedOutput output) {
		this.web
			.withPropertyValues("nats.servers=" + url, "nats.console.enabled=true", "nats.console.authority=ROLE_OPS")
			.run((context) -> {
				assertThat(context).hasSingleBean(ConsoleRoutes.class).hasSingleBean(RouterFunction.class);
				assertThat(context.getBean(ConsoleAccess.class)).isInstanceOf(SecurityConsoleAccess.class);
				assertThat(output).doesNotContain("is open to anyone");
			});
	}

	@Test
	void withoutSpringSecurityTheConsoleIsOpenAndSaysSoOnce(CapturedOutput output) {
		this.web.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.withPropertyValues("nats.servers=" + url, "nats.console.enabled=true", "nats.console.actions-enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(ConsoleRoutes.class).doesNotHaveBean(ConsoleAccess.class);
				assertThat(output).containsOnlyOnce(
						"The natsboot console at /natsboot is open to anyone who can reach this application, actions included");
			});
	}

	@Test
	void withoutMicrometerAndBootsHealthTheConsoleChartsTheConnectionsMessages() {
		this.web.withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
			.withPropertyValues("nats.servers=" + url, "nats.console.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, Object> overview = context.getBean(ConsoleRoutes.class).getViews().overview().describe();
				assertThat(overview.get("health")).isEqualTo(List.of());
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> series = (List<Map<String, Object>>) ((Map<String, Object>) overview
					.get("charts")).get("series");
				assertThat(series).extracting((one) -> one.get("name")).containsExactly("published", "received");
				assertThat(((Map<?, ?>) overview.get("connection")).get("status")).isEqualTo("CONNECTED");
			});
	}

	@Test
	void aPathThatIsNoPathIsRefusedNamingTheProperty() {
		this.web
			.withPropertyValues("nats.servers=" + url, "nats.console.enabled=true",
					"nats.console.path=natsboot console")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nats.console.path")
				.hasMessageContaining("starts with '/'"));
	}

}
