package io.natsboot.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.keystore.KeyEvent;
import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.keystore.KeyWatch;
import io.natsboot.keystore.StoreOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The key store in the sample: sessions with a TTL, updated with compare-and-set and
 * watched by every instance ({@code /sessions}, {@code /sessions/events}), key listing
 * with a glob ({@code /keys}), counters ({@code /counters}), bulk, range and prefix reads
 * ({@code /prices}), and exchange rates behind {@code @Cacheable}, cached in the key
 * store so that every instance shares them ({@code /rates}).
 */
@RestController
public class SampleKeyStore implements DisposableBean {

	private static final String PRICE = "price:";

	private final KeyStoreOperations keyStore;

	private final ExchangeRates rates;

	private final ConcurrentLinkedDeque<String> sessionEvents = new ConcurrentLinkedDeque<>();

	private final KeyWatch sessionWatch;

	SampleKeyStore(KeyStoreOperations keyStore, ExchangeRates rates) {
		this.keyStore = keyStore;
		this.rates = rates;
		// a change by any instance, or an expiry, reaches every instance's watch
		this.sessionWatch = keyStore.watch("session:*", this::onSessionEvent);
	}

	private void onSessionEvent(KeyEvent event) {
		this.sessionEvents.addLast(event.type() + " " + event.key());
		while (this.sessionEvents.size() > 20) {
			this.sessionEvents.removeFirst();
		}
	}

	@PutMapping("/sessions/{id}")
	ResponseEntity<Object> storeSession(@PathVariable String id, @RequestParam(required = false) @Nullable Long version,
			@RequestBody Map<String, Object> session) {
		String key = "session:" + id;
		if (version == null) {
			return ResponseEntity.ok(SessionStored
				.of(this.keyStore.store(key, session, StoreOptions.ttl(Duration.ofMinutes(30)).tags("web"))));
		}
		// compare-and-set: only when nobody changed the session since the version read
		if (!this.keyStore.compareAndSet(key, session, version)) {
			return ResponseEntity.status(HttpStatus.CONFLICT)
				.body(new Refused("session " + id + " is no longer at version " + version));
		}
		return ResponseEntity.ok(SessionStored.of(this.keyStore.getMetadata(key)));
	}

	@GetMapping("/sessions/{id}")
	ResponseEntity<Object> session(@PathVariable String id) {
		Object session = this.keyStore.retrieve("session:" + id);
		return (session != null) ? ResponseEntity.ok(session) : ResponseEntity.notFound().build();
	}

	@DeleteMapping("/sessions/{id}")
	Deleted endSession(@PathVariable String id) {
		return new Deleted(this.keyStore.delete("session:" + id));
	}

	@GetMapping("/sessions/events")
	List<String> sessionEvents() {
		return List.copyOf(this.sessionEvents);
	}

	@GetMapping("/keys")
	List<String> keys(@RequestParam(defaultValue = "*") String pattern) {
		return this.keyStore.listKeys(pattern);
	}

	@PostMapping("/counters/{name}")
	Counted count(@PathVariable String name) {
		return new Counted(name, this.keyStore.increment("counter:" + name, 1));
	}

	@PutMapping("/prices")
	BulkStored storePrices(@RequestBody Map<String, Double> prices) {
		Map<String, Double> entries = new TreeMap<>();
		prices.forEach((name, price) -> entries.put(PRICE + name, price));
		return new BulkStored(this.keyStore.bulkStore(entries).size());
	}

	@GetMapping("/prices")
	Map<String, Double> prices(@RequestParam String names) {
		List<String> keys = Arrays.stream(names.split(",")).map((name) -> PRICE + name.trim()).toList();
		return withoutPrefix(this.keyStore.bulkRetrieve(keys, Double.class));
	}

	@GetMapping("/prices/range")
	Map<String, Double> priceRange(@RequestParam(required = false) @Nullable String from,
			@RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String prefix) {
		if (prefix != null) {
			return withoutPrefix(this.keyStore.prefixGet(PRICE + prefix, Double.class));
		}
		// keys from 'from' (inclusive) to 'to' (exclusive), in key order, without a
		// limit;
		// "price;" is the first key after every "price:..." one
		return withoutPrefix(this.keyStore.rangeGet(PRICE + ((from != null) ? from : ""),
				(to != null) ? PRICE + to : "price;", Double.class));
	}

	private static Map<String, Double> withoutPrefix(Map<String, Double> prices) {
		Map<String, Double> byName = new TreeMap<>();
		prices.forEach((key, price) -> byName.put(key.substring(PRICE.length()), price));
		return byName;
	}

	@GetMapping("/rates/{currency}")
	RateAnswer rate(@PathVariable String currency) {
		return new RateAnswer(this.rates.rate(currency), this.rates.computed());
	}

	@Override
	public void destroy() {
		this.sessionWatch.close();
	}

	/**
	 * A slow computation whose results every instance shares through the key store's
	 * cache manager.
	 */
	@Service
	public static class ExchangeRates {

		private final AtomicInteger computed = new AtomicInteger();

		/**
		 * The rate of a currency against the euro.
		 * @param currency the currency code
		 * @return the rate
		 */
		@Cacheable("rates")
		public Rate rate(String currency) {
			this.computed.incrementAndGet();
			return new Rate(currency.toUpperCase(), currency.equalsIgnoreCase("usd") ? 1.08 : 1.0);
		}

		/**
		 * How often a rate was computed in this instance.
		 * @return the count
		 */
		public int computed() {
			return this.computed.get();
		}

	}

	/**
	 * An exchange rate.
	 *
	 * @param currency the currency code
	 * @param perEuro how much of it one euro buys
	 */
	public record Rate(String currency, double perEuro) {

	}

	record RateAnswer(Rate rate, int computed) {
	}

	record SessionStored(String key, long version, List<String> tags, @Nullable Instant expiresAt) {

		static SessionStored of(@Nullable KeyMetadata metadata) {
			if (metadata == null) {
				throw new IllegalStateException("The session was deleted meanwhile");
			}
			return new SessionStored(metadata.key(), metadata.version(), metadata.tags(), metadata.expiresAt());
		}

	}

	record Refused(String error) {
	}

	record Deleted(boolean deleted) {
	}

	record Counted(String counter, long value) {
	}

	record BulkStored(int stored) {
	}

}
