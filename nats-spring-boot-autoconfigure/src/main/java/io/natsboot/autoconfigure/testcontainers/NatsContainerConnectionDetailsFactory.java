package io.natsboot.autoconfigure.testcontainers;

import java.util.List;

import io.natsboot.autoconfigure.NatsConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.Container;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ContainerConnectionDetailsFactory} that turns a Testcontainers container of the
 * {@code nats} image, annotated {@code @ServiceConnection}, into
 * {@link NatsConnectionDetails}:
 *
 * <pre class="code">
 * &#064;Container
 * &#064;ServiceConnection
 * static GenericContainer&lt;?&gt; nats = new GenericContainer&lt;&gt;("nats:2.10").withCommand("-js").withExposedPorts(4222);
 * </pre>
 */
class NatsContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<Container<?>, NatsConnectionDetails> {

	/** The port NATS clients connect to inside the container. */
	static final int CLIENT_PORT = 4222;

	NatsContainerConnectionDetailsFactory() {
		super("nats");
	}

	@Override
	protected NatsConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
		return new NatsContainerConnectionDetails(source);
	}

	/**
	 * The URL a client on the host uses to reach a NATS container.
	 * @param container the started container
	 * @return {@code nats://<host>:<mapped port>}
	 */
	static String serverUrl(Container<?> container) {
		return "nats://" + container.getHost() + ":" + container.getMappedPort(CLIENT_PORT);
	}

	private static final class NatsContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
			implements NatsConnectionDetails {

		private NatsContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
			super(source);
		}

		@Override
		public List<String> getServers() {
			return List.of(serverUrl(getContainer()));
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			return super.getSslBundle();
		}

	}

}
