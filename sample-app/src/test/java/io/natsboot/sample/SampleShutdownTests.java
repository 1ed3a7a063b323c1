package io.natsboot.sample;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as {@code spring-boot:test-run} does, in a JVM of its own with its own
 * {@code nats-server}, and stops it as Ctrl-C in a terminal does (Linux: {@code setsid}
 * gives it the process group a terminal would).
 */
class SampleShutdownTests {

	@Test
	void stoppingTheSampleClosesItsConnectionBeforeItsServerStops() throws Exception {
		String javaCommand = ProcessHandle.current().info().command().orElse("java");
		// in a process group of its own, as a terminal starts a command, so that Ctrl-C's
		// signal to the group reaches the sample and whatever it started, but not this
		// JVM
		Process sample = new ProcessBuilder("setsid", javaCommand, "-cp", System.getProperty("java.class.path"),
				TestSampleApplication.class.getName(), "--server.port=0", "--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.start();
		List<String> lines = new ArrayList<>();
		int beforeStop = 0;
		CompletableFuture<Void> started = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(sample.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					synchronized (lines) {
						lines.add(line);
					}
					if (line.contains("Started SampleApplication")) {
						started.complete(null);
					}
				}
			}
			catch (Exception ex) {
				started.completeExceptionally(ex);
			}
		});
		reader.start();
		try {
			started.get(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS);
			synchronized (lines) {
				assertThat(lines).anyMatch((line) -> line.contains("Connected to NATS"));
			}
		}
		finally {
			synchronized (lines) {
				beforeStop = lines.size();
			}
			// Ctrl-C: SIGINT to every process of the group
			new ProcessBuilder("kill", "-INT", "--", "-" + sample.pid()).start().waitFor();
			if (!sample.waitFor(60, TimeUnit.SECONDS)) {
				sample.destroyForcibly();
			}
			reader.join(10_000);
		}
		String log;
		String stopping;
		synchronized (lines) {
			log = String.join("\n", lines);
			stopping = String.join("\n", lines.subList(beforeStop, lines.size()));
		}
		assertThat(log).contains("Started SampleApplication");
		// what the stop logs, from the signal on: the application closes its connection
		// before its server goes away
		assertThat(stopping).contains("Closed the NATS connection")
			.doesNotContain("Disconnected")
			.doesNotContain("Read channel closed")
			.doesNotContain("Connection refused")
			.doesNotContain(" WARN ")
			.doesNotContain(" ERROR ");
	}

}
