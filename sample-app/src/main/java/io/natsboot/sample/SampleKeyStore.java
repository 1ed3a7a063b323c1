package io.natsboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.natsboot.keystore.KeyMetadata;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.keystore.StoreOptions;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The key store in the sample: sessions with a TTL ({@code /sessions}), key listing with
 * a glob ({@code /keys}), and exchange rates behind {@code @Cacheable}, cached in the key
 * store so that every instance shares them ({@code /rates}).
 */
@RestController
public class SampleKeyStore {

	private final KeyStoreOperations keyStore;

	private final ExchangeRates rates;

	SampleKeyStore(KeyStoreOperations keyStore, ExchangeRates rates) {
		this.keyStore = keyStore;
		this.rates = rates;
	}

	@PutMapping("/sessions/{id}")
	KeyMetadata startSession(@PathVariable String id, @RequestBody Map<String, Object> session) {
		return this.keyStore.store("session:" + id, session, StoreOptions.ttl(Duration.ofMinutes(30)).tags("web"));
	}

	@GetMapping("/sessions/{id}")
	ResponseEntity<Object> session(@PathVariable String id) {
		Object session = this.keyStore.retrieve("session:" + id);
		return (session != null) ? ResponseEntity.ok(session) : ResponseEntity.notFound().build();
	}

	@GetMapping("/keys")
	List<String> keys(@RequestParam(defaultValue = "*") String pattern) {
		return this.keyStore.listKeys(pattern);
	}

	@GetMapping("/rates/{currency}")
	Map<String, Object> rate(@PathVariable String currency) {
		return Map.of("rate", this.rates.rate(currency), "computed", this.rates.computed());
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

}
