package io.natsboot.keystore.nats;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented key encoding for NATS KV.
 */
class NatsKeyCodecTests {

	@Test
	void keepsKeysThatNatsAcceptsAsTheyAre() {
		assertThat(NatsKeyCodec.encode("database.host")).isEqualTo("database.host");
		assertThat(NatsKeyCodec.encode("a-b_c/d.E9")).isEqualTo("a-b_c/d.E9");
	}

	@Test
	void escapesEverythingElseAsUtf8Bytes() {
		assertThat(NatsKeyCodec.encode("user:123")).isEqualTo("user=3A123");
		assertThat(NatsKeyCodec.encode("a b")).isEqualTo("a=20b");
		assertThat(NatsKeyCodec.encode("ü")).isEqualTo("=C3=BC");
		assertThat(NatsKeyCodec.encode("eq=sign")).isEqualTo("eq=3Dsign");
		assertThat(NatsKeyCodec.encode("smile\uD83D\uDE00")).isEqualTo("smile=F0=9F=98=80");
		assertThat(NatsKeyCodec.encode("*>")).isEqualTo("=2A=3E");
	}

	@Test
	void escapesLeadingTrailingAndDoubledDots() {
		assertThat(NatsKeyCodec.encode(".hidden")).isEqualTo("=2Ehidden");
		assertThat(NatsKeyCodec.encode("trail.")).isEqualTo("trail=2E");
		assertThat(NatsKeyCodec.encode("x..y")).isEqualTo("x.=2Ey");
		assertThat(NatsKeyCodec.encode(".")).isEqualTo("=2E");
	}

	@Test
	void decodesWhatItEncodesAndReadsOtherEqualsSignsLiterally() {
		for (String key : List.of("user:123", "a b", "ü-key", ".hidden", "trail.", "x..y", "eq=sign", "=", "==3D",
				"smile\uD83D\uDE00", "config.ini", "%20")) {
			assertThat(NatsKeyCodec.decode(NatsKeyCodec.encode(key))).as(key).isEqualTo(key);
		}
		assertThat(NatsKeyCodec.decode("a=b")).isEqualTo("a=b");
		assertThat(NatsKeyCodec.decode("a=")).isEqualTo("a=");
		assertThat(NatsKeyCodec.decode("a=4")).isEqualTo("a=4");
		assertThat(NatsKeyCodec.decode("a=41")).isEqualTo("aA");
	}

	@Test
	void prefixesOfKeysEncodeToPrefixesOfTheirEncodings() {
		for (String key : List.of("config.db.host", "x..y", "user:12", ".a.b", "ü.x")) {
			for (int end = 1; end <= key.length(); end++) {
				String prefix = key.substring(0, end);
				if (Character.isHighSurrogate(prefix.charAt(prefix.length() - 1))) {
					continue;
				}
				assertThat(NatsKeyCodec.encode(key)).as(prefix).startsWith(NatsKeyCodec.encodePrefix(prefix));
			}
		}
	}

}
