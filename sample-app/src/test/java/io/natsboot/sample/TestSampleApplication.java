package io.natsboot.sample;

import java.util.Arrays;
import java.util.List;

import io.natsboot.autoconfigure.NatsConnectionDetails;
import io.natsboot.test.NatsServerProcess;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Runs the sample application with a {@code nats-server} of its own, started for the
 * application's lifetime, the way Spring Boot runs development-time services:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run}. With {@code --nats.servers=...}
 * among the arguments it uses that server instead and starts none.
 */
public class TestSampleApplication {

	/**
	 * Starts the sample application, with its own {@code nats-server} unless one is
	 * named.
	 * @param args command-line arguments
	 */
	public static void main(String[] args) {
		boolean serverNamed = Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--nats.servers="));
		if (serverNamed) {
			SampleApplication.main(args);
		}
		else {
			SpringApplication.from(SampleApplication::main).with(DevelopmentNatsServer.class).run(args);
		}
	}

	/**
	 * A {@code nats-server} process that lives as long as the application context.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DevelopmentNatsServer {

		@Bean(destroyMethod = "close")
		NatsServerProcess natsServerProcess() {
			NatsServerProcess server = NatsServerProcess.builder().build();
			// at Ctrl-C the application drains and closes its connection first
			server.stopAfterApplicationsClose();
			server.start();
			return server;
		}

		@Bean
		NatsConnectionDetails natsConnectionDetails(NatsServerProcess natsServerProcess) {
			return () -> List.of(natsServerProcess.url());
		}

	}

}
