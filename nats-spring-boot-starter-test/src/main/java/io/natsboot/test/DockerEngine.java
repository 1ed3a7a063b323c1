package io.natsboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Docker command-line client, used to run {@code nats-server} in a container when no
 * binary is installed. Only an engine that answers {@code docker info} counts.
 */
final class DockerEngine {

	private DockerEngine() {
	}

	/**
	 * The {@code docker} client to fall back on when a server binary is missing.
	 * @param missing why the binary could not be used
	 * @return the {@code docker} executable, its engine answering
	 * @throws ServerBinaryNotFoundException naming both what is missing and why Docker
	 * cannot stand in
	 */
	static Path fallbackFor(ServerBinaryNotFoundException missing) {
		Path docker;
		try {
			docker = ServerBinaries.locate("docker", "DOCKER_BIN", "https://docs.docker.com/engine/install/");
		}
		catch (ServerBinaryNotFoundException noDocker) {
			throw new ServerBinaryNotFoundException(
					missing.getMessage() + " There is no Docker client to run it in a container either.");
		}
		String problem = engineProblem(docker);
		if (problem != null) {
			throw new ServerBinaryNotFoundException(missing.getMessage()
					+ " Docker cannot run it in a container either: 'docker info' failed (" + problem + ").");
		}
		return docker;
	}

	private static String engineProblem(Path docker) {
		try {
			Process process = new ProcessBuilder(List.of(docker.toString(), "info", "--format", "{{.ServerVersion}}"))
				.redirectErrorStream(true)
				.start();
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return "no answer within 15 seconds";
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (process.exitValue() == 0) {
				return null;
			}
			String firstLine = output.lines().filter((line) -> !line.isBlank()).findFirst().orElse("no output");
			return "exit code " + process.exitValue() + ": " + firstLine;
		}
		catch (IOException ex) {
			return ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/**
	 * Stops or kills a container by name.
	 * @param docker the client
	 * @param container the container's name
	 * @param forcibly SIGKILL rather than SIGTERM
	 */
	static void signal(Path docker, String container, boolean forcibly) {
		try {
			new ProcessBuilder(List.of(docker.toString(), "kill", "--signal", forcibly ? "KILL" : "TERM", container))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor(15, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// the client-side process is signalled too; nothing more to do
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
