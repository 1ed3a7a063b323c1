package io.natsboot.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fallback to Docker when {@code nats-server} is missing: it is taken only when the
 * engine really answers, and otherwise the error names both what is missing and why
 * Docker cannot help.
 */
class DockerEngineTests {

	private final ServerBinaryNotFoundException missing = new ServerBinaryNotFoundException(
			"nats-server was not found on PATH. Install it (" + NatsServerProcess.INSTALL_HINT + ").");

	@Test
	void fallsBackOnlyToAnEngineThatAnswers() throws Exception {
		if (dockerEngineAnswers()) {
			assertThat(DockerEngine.fallbackFor(this.missing)).isExecutable();
		}
		else {
			assertThatExceptionOfType(ServerBinaryNotFoundException.class)
				.isThrownBy(() -> DockerEngine.fallbackFor(this.missing))
				.withMessageContaining("apt-get install nats-server")
				.withMessageContaining("Docker");
		}
	}

	@Test
	void aDockerClientThatIsNotExecutableIsRefusedWithTheReason() {
		System.setProperty("DOCKER_BIN", "/nonexistent/docker");
		try {
			assertThatExceptionOfType(ServerBinaryNotFoundException.class)
				.isThrownBy(() -> DockerEngine.fallbackFor(this.missing))
				.withMessageStartingWith("nats-server was not found")
				.withMessageContaining("no Docker client");
		}
		finally {
			System.clearProperty("DOCKER_BIN");
		}
	}

	private static boolean dockerEngineAnswers() throws Exception {
		for (String directory : System.getenv("PATH").split(":")) {
			Path docker = Path.of(directory, "docker");
			if (Files.isExecutable(docker)) {
				Process process = new ProcessBuilder(docker.toString(), "info").redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				return process.waitFor(15, TimeUnit.SECONDS) && process.exitValue() == 0;
			}
		}
		return false;
	}

}
