package io.natsboot.jetstream;

import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What tests of a {@link JetStreamPullWorker} used directly share: a real server, a plain
 * connection, and a stream of their own per test (subjects {@code <stream in lower
 * case>.>}).
 */
@WithNatsServer
public abstract class PullWorkerTestSupport {

	private static final AtomicInteger streams = new AtomicInteger();

	/** The test's stream. */
	protected final String stream;

	/** A plain jnats connection to the server. */
	protected Connection connection;

	/**
	 * Creates the support for a test.
	 * @param streamPrefix the start of the test's stream name
	 */
	protected PullWorkerTestSupport(String streamPrefix) {
		this.stream = streamPrefix + streams.incrementAndGet();
	}

	@BeforeEach
	protected void connectAndCreateTheStream(NatsServerProcess server) throws Exception {
		this.connection = Nats.connect(server.url());
		this.connection.jetStreamManagement()
			.addStream(
					StreamConfiguration.builder().name(this.stream).subjects(this.stream.toLowerCase() + ".>").build());
	}

	@AfterEach
	protected void close() throws InterruptedException {
		this.connection.close();
	}

}
