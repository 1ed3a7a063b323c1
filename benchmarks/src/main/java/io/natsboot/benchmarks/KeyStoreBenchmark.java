package io.natsboot.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.natsboot.autoconfigure.NatsKeyStoreAutoConfiguration;
import io.natsboot.keystore.KeyFormat;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreTemplate;
import io.natsboot.keystore.StoreOptions;
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

/**
 * The key store on NATS KV against raw jnats {@code KeyValue}: store (TEXT) against
 * {@code put}, uncached retrieve against {@code get}, cached retrieve against a plain
 * Caffeine {@code getIfPresent}, and one {@code bulkStore} of 1,000 keys against 1,000
 * sequential stores. Both sides cycle through the same 100 keys of a 100-byte value, in
 * separate buckets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyStoreBenchmark {

	private static final int KEYS = 100;

	private BenchmarkServer nats;

	private KeyStoreTemplate keyStore;

	private KeyValue rawKv;

	private final Cache<String, String> caffeine = Caffeine.newBuilder().maximumSize(10_000).build();

	private final String[] keys = new String[KEYS];

	private final String[] rawKeys = new String[KEYS];

	private final String value = "v".repeat(100);

	private final byte[] valueBytes = this.value.getBytes(StandardCharsets.UTF_8);

	private final StoreOptions text = StoreOptions.format(KeyFormat.TEXT);

	private final Map<String, Object> batch = new LinkedHashMap<>();

	private int next;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.nats = new BenchmarkServer(NatsKeyStoreAutoConfiguration.class);
		this.keyStore = this.nats.context.getBean(KeyStoreTemplate.class);
		this.nats.raw.keyValueManagement().create(KeyValueConfiguration.builder().name("raw").build());
		this.rawKv = this.nats.raw.keyValue("raw");
		for (int i = 0; i < KEYS; i++) {
			this.keys[i] = "user:" + i;
			this.rawKeys[i] = "user_" + i;
			this.keyStore.store(this.keys[i], this.value, this.text);
			this.rawKv.put(this.rawKeys[i], this.valueBytes);
			this.caffeine.put(this.keys[i], this.value);
		}
		for (int i = 0; i < 1000; i++) {
			this.batch.put("bulk:" + i, this.value);
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.nats.close();
	}

	private int nextIndex() {
		this.next = (this.next + 1) % KEYS;
		return this.next;
	}

	@Benchmark
	public long rawKvPut() throws Exception {
		return this.rawKv.put(this.rawKeys[nextIndex()], this.valueBytes);
	}

	@Benchmark
	public KeyMetadata keyStoreStore() {
		return this.keyStore.store(this.keys[nextIndex()], this.value, this.text);
	}

	@Benchmark
	public KeyValueEntry rawKvGet() throws Exception {
		return this.rawKv.get(this.rawKeys[nextIndex()]);
	}

	@Benchmark
	public String keyStoreRetrieveUncached() {
		return this.keyStore.retrieve(this.keys[nextIndex()], String.class, false);
	}

	@Benchmark
	public String caffeineGet() {
		return this.caffeine.getIfPresent(this.keys[nextIndex()]);
	}

	@Benchmark
	public String keyStoreRetrieveCached() {
		return this.keyStore.retrieve(this.keys[nextIndex()], String.class);
	}

	@Benchmark
	@OutputTimeUnit(TimeUnit.SECONDS)
	public int keyStoreBulkStore1000() {
		return this.keyStore.bulkStore(this.batch, this.text).size();
	}

	@Benchmark
	@OutputTimeUnit(TimeUnit.SECONDS)
	public int keyStoreSequentialStore1000() {
		int stored = 0;
		for (Map.Entry<String, Object> entry : this.batch.entrySet()) {
			this.keyStore.store(entry.getKey(), entry.getValue(), this.text);
			stored++;
		}
		return stored;
	}

}
