package io.natsboot.keystore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata time reader against {@link Instant#toString()}.
 */
class KeyTimestampsTests {

	@Test
	void instantsReadBackAsWritten() {
		List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999999Z"),
				Instant.parse("2000-01-01T00:00:00.100Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
				Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.000001Z"),
				Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-15T12:00:00Z"), Instant.now()));
		for (int i = 0; i < 1000; i++) {
			instants
				.add(Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(-100_000_000_000L, 200_000_000_000L),
						(i % 4 == 0) ? 0 : ThreadLocalRandom.current().nextInt(1_000_000_000)));
		}
		for (Instant instant : instants) {
			assertThat(KeyTimestamps.parse(instant.toString())).isEqualTo(instant);
		}
	}

}
