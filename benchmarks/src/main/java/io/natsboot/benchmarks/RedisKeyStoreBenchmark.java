package io.natsboot.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreMetrics;
import io.natsboot.keystore.KeyStoreSettings;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.KeyValueSerializer;
import io.natsboot.keystore.StoreOptions;
import io.natsboot.keystore.redis.RedisKeyValueBackendFactory;
import io.natsboot.test.RedisServerProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The key store's Redis backend, local cache off, against raw Lettuce on the same
 * redis-server: store (TEXT, 100 bytes) against {@code SET}, retrieve against
 * {@code GET}, cycling through 100 keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisKeyStoreBenchmark {

	private static final int KEYS = 100;

	private RedisServerProcess redis;

	private LettuceConnectionFactory connectionFactory;

	private RedisKeyValueBackendFactory backends;

	private KeyStoreTemplate keyStore;

	private RedisClient rawClient;

	private StatefulRedisConnection<String, String> rawConnection;

	private RedisCommands<String, String> raw;

	private final String[] keys = new String[KEYS];

	private final String value = "v".repeat(100);

	private final StoreOptions text = StoreOptions.format(KeyFormat.TEXT);

	private int next;

	@Setup(Level.Trial)
	public void start() {
		this.redis = RedisServerProcess.startDefault();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.backends = new RedisKeyValueBackendFactory(this.connectionFactory, Duration.ofSeconds(1));
		KeyStoreSettings settings = new KeyStoreSettings("keystore", "bench", KeyFormat.TEXT, null, false, 0, null);
		this.keyStore = new KeyStoreTemplate(this.backends.create("keystore", "bench"),
				new KeyValueSerializer(null, List.of(), null), settings, KeyStoreMetrics.NONE, this.backends);
		this.rawClient = RedisClient.create("redis://" + this.redis.host() + ":" + this.redis.port());
		this.rawConnection = this.rawClient.connect();
		this.raw = this.rawConnection.sync();
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "user:" + i;
			this.keyStore.store(this.keys[i], this.value, this.text);
			this.raw.set("raw:" + this.keys[i], this.value);
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.keyStore.destroy();
		this.backends.destroy();
		this.connectionFactory.destroy();
		this.rawConnection.close();
		this.rawClient.shutdown();
		this.redis.stop();
	}

	private int nextIndex() {
		this.next = (this.next + 1) % KEYS;
		return this.next;
	}

	@Benchmark
	public String rawLettuceSet() {
		return this.raw.set("raw:" + this.keys[nextIndex()], this.value);
	}

	@Benchmark
	public KeyMetadata keyStoreStore() {
		return this.keyStore.store(this.keys[nextIndex()], this.value, this.text);
	}

	@Benchmark
	public String rawLettuceGet() {
		return this.raw.get("raw:" + this.keys[nextIndex()]);
	}

	@Benchmark
	public String keyStoreRetrieve() {
		return this.keyStore.retrieve(this.keys[nextIndex()], String.class);
	}

}
