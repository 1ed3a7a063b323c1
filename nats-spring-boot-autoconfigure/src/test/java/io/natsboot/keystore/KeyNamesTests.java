package io.natsboot.keystore;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Key rules shared by every backend: validation, code-point order and globs.
 */
class KeyNamesTests {

	@Test
	void ordersByCodePointLikeUtf8Bytes() {
		List<String> keys = new ArrayList<>(List.of("item:2", "item:10", "\uFF5E", "smile\uD83D\uDE00", "smile~", "a"));
		keys.sort(KeyNames.CODE_POINT_ORDER);
		assertThat(keys).containsExactly("a", "item:10", "item:2", "smile~", "smile\uD83D\uDE00", "\uFF5E");
		// String.compareTo puts the supplementary character before U+FF5E; code points do
		// not
		assertThat("smile\uD83D\uDE00".compareTo("smile\uFF5E")).isNegative();
		assertThat(KeyNames.compareCodePoints("smile\uD83D\uDE00", "smile\uFF5E")).isPositive();
	}

	@Test
	void globsMatchRunsAndSingleCharacters() {
		KeyNames.Glob glob = KeyNames.glob("user:*:name?");
		assertThat(glob.literalPrefix()).isEqualTo("user:");
		assertThat(glob.matches("user:12:name1")).isTrue();
		assertThat(glob.matches("user::nameX")).isTrue();
		assertThat(glob.matches("user:12:name")).isFalse();
		assertThat(KeyNames.glob("a.b").matches("a.b")).isTrue();
		assertThat(KeyNames.glob("a.b").matches("axb")).isFalse();
		assertThat(KeyNames.glob("*").literalPrefix()).isEmpty();
	}

	@Test
	void refusesEmptyLongAndControlKeys() {
		assertThatIllegalArgumentException().isThrownBy(() -> KeyNames.validate("")).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> KeyNames.validate("ü".repeat(513)))
			.withMessageContaining("1026 UTF-8 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> KeyNames.validate("a\nb"))
			.withMessageContaining("control");
		assertThat(KeyNames.validate("ü".repeat(512))).hasSize(512);
	}

}
