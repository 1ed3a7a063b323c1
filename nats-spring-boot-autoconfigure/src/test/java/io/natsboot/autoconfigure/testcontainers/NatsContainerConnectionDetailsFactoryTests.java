package io.natsboot.autoconfigure.testcontainers;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked without a Docker engine: the factory is registered, and the URL it
 * builds from a container's host and mapped port.
 */
class NatsContainerConnectionDetailsFactoryTests {

	@Test
	void isRegisteredForServiceConnections() {
		// other modules on the test class path register factories for absent optional
		// classes (spring-boot-data-redis' Docker Compose one); skip those as an
		// application would
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(ConnectionDetailsFactory.class, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(NatsContainerConnectionDetailsFactory.class);
	}

	@Test
	void pointsAtTheMappedClientPort() {
		try (GenericContainer<?> container = new MappedNatsContainer()) {
			assertThat(NatsContainerConnectionDetailsFactory.serverUrl(container))
				.isEqualTo("nats://docker-host:32768");
		}
	}

	/**
	 * A container that was never started, reporting the host and port a started one
	 * would.
	 */
	static class MappedNatsContainer extends GenericContainer<MappedNatsContainer> {

		MappedNatsContainer() {
			super(DockerImageName.parse("nats:2.10"));
		}

		@Override
		public String getHost() {
			return "docker-host";
		}

		@Override
		public Integer getMappedPort(int originalPort) {
			assertThat(originalPort).isEqualTo(NatsContainerConnectionDetailsFactory.CLIENT_PORT);
			return 32768;
		}

	}

}
