package io.natsboot.keystore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsboot.keystore.nats.NatsBucketSettings;
import io.natsboot.keystore.nats.NatsKeyCodec;
import io.natsboot.keystore.nats.NatsKeyValueBackendFactory;
import io.natsboot.test.NatsServerProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key store contract on NATS JetStream KV, each instance with its own connection to
 * one real nats-server; plain reads and writes go through jnats' own KV client.
 */
class NatsKeyStoreContractTests extends KeyStoreContractTests {

	private static NatsServerProcess server;

	private static Connection plainClient;

	private final List<Connection> connections = new ArrayList<>();

	private final List<NatsKeyValueBackendFactory> factories = new ArrayList<>();

	@BeforeAll
	static void startServer() throws Exception {
		server = NatsServerProcess.startDefault();
		plainClient = Nats.connect(server.url());
	}

	@AfterAll
	static void stopServer() throws InterruptedException {
		plainClient.close();
		server.stop();
	}

	@Override
	protected KeyValueBackendFactory newInstanceFactory() {
		try {
			Connection connection = Nats.connect(new Options.Builder().server(server.url()).build());
			this.connections.add(connection);
			NatsKeyValueBackendFactory factory = new NatsKeyValueBackendFactory(connection,
					JetStreamOptions.DEFAULT_JS_OPTIONS,
					new NatsBucketSettings(1, 1, io.nats.client.api.StorageType.File, -1,
							java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5)));
			this.factories.add(factory);
			return factory;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	protected void closeFactories() {
		this.factories.forEach(NatsKeyValueBackendFactory::destroy);
		this.factories.clear();
		for (Connection connection : this.connections) {
			try {
				connection.close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.connections.clear();
	}

	@Override
	protected boolean rawPut(String bucket, String namespace, String key, byte[] value) {
		try {
			plainClient.keyValue(bucket).put(namespace + "." + NatsKeyCodec.encode(key), value);
			return true;
		}
		catch (IOException | JetStreamApiException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	protected byte @Nullable [] rawGet(String bucket, String namespace, String key) {
		try {
			KeyValue kv = plainClient.keyValue(bucket);
			KeyValueEntry entry = kv.get(namespace + "." + NatsKeyCodec.encode(key));
			return (entry != null) ? entry.getValue() : null;
		}
		catch (IOException | JetStreamApiException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
