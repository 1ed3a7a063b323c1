package io.natsboot.autoconfigure;

import java.io.IOException;

import io.natsboot.annotation.NatsListener;
import io.natsboot.test.NatsServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A start-up that fails on NATS with {@code nats.startup=fail} ends in Spring Boot's
 * failure report with the servers, the root cause and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class NatsStartupFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NatsAutoConfiguration.class))
		.withPropertyValues("nats.startup=fail", "nats.drain-timeout=2s");

	private final NatsStartupFailureAnalyzer analyzer = new NatsStartupFailureAnalyzer();

	@Test
	void anApplicationThatCannotReachTheServerEndsInTheFailureReport(CapturedOutput output) {
		String url = NatsServerProcess.builder().build().url(); // nothing listens there
		assertThatException().isThrownBy(() -> run("--nats.servers=" + url));
		assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
			.contains("The application could not reach NATS at start-up (nats.startup=fail).")
			.contains("Servers: " + url)
			.contains("Cause: ConnectException: Connection refused")
			.contains("Action:")
			.contains("Start a NATS server there, or point nats.servers at a running one")
			.contains("set nats.startup=wait");
	}

	@Test
	void anApplicationWhoseCredentialsAreRefusedEndsInTheFailureReport(CapturedOutput output) {
		try (NatsServerProcess server = NatsServerProcess.builder()
			.jetStream(false)
			.config("authorization { user: alice, password: \"s3cret\" }")
			.start()) {
			assertThatException().isThrownBy(
					() -> run("--nats.servers=" + server.url(), "--nats.username=alice", "--nats.password=wrong"));
			assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
				.contains("The application was refused by NATS at start-up (nats.startup=fail).")
				.contains("Servers: " + server.url())
				.contains("Cause: Authorization Violation")
				.contains("Check the credentials against the server's authorization: nats.username and "
						+ "nats.password")
				.doesNotContain("wrong");
		}
	}

	@Test
	void aFailedTlsHandshakeIsAnalyzedWithItsCause() throws IOException {
		String tls = "tls {\n  cert_file: \"" + path("tls/server.pem") + "\"\n  key_file: \""
				+ path("tls/server-key.pem") + "\"\n}";
		try (NatsServerProcess server = NatsServerProcess.builder().jetStream(false).config(tls).start()) {
			// the JVM's default trust store does not know the test CA
			this.contextRunner.withPropertyValues("nats.servers=" + server.url(), "nats.ssl.enabled=true")
				.run((context) -> {
					FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription())
						.contains("could not complete the TLS handshake with NATS at start-up")
						.contains("Servers: " + server.url())
						.contains("Cause: TLS handshake failed: ")
						.containsAnyOf("certification path", "PKIX");
					assertThat(analysis.getAction()).contains("nats.ssl.bundle");
				});
		}
	}

	@Test
	void anUnreachableServerIsAnalyzedFromTheExceptionAsThrown() {
		String url = NatsServerProcess.builder().build().url();
		this.contextRunner.withPropertyValues("nats.servers=" + url).run((context) -> {
			FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Servers: " + url)
				.contains("Cause: ConnectException: Connection refused");
			assertThat(analysis.getAction()).contains("nats.servers").contains("nats.startup=wait");
		});
	}

	@Test
	void aListenerOnAMissingStreamIsAnalyzedNamingTheStream() {
		try (NatsServerProcess server = NatsServerProcess.startDefault()) {
			this.contextRunner.withUserConfiguration(Billing.class)
				.withPropertyValues("nats.servers=" + server.url())
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("does not exist")
						.contains("stream 'INVOICES'")
						.contains("Worker 'billing'");
					assertThat(analysis.getAction()).contains("NatsStreamDefinition").contains("nats.startup=wait");
				});
		}
	}

	@Test
	void failuresThatAreNotAboutNatsAreLeftToSpringBoot() {
		assertThat(this.analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

	private static void run(String... args) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 2];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--nats.startup=fail";
		all[args.length + 1] = "--spring.main.banner-mode=off";
		application.run(all).close();
	}

	private static String path(String resource) throws IOException {
		return new ClassPathResource(resource).getFile().getAbsolutePath();
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration(NatsAutoConfiguration.class)
	static class Application {

	}

	static class Billing {

		@NatsListener(id = "billing", subject = "invoices.>", stream = "INVOICES", durable = "billing")
		void bill(String payload) {
		}

	}

}
