package io.natsboot.jetstream;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retry delays: a delay list whose last delay repeats, and the delay any Spring back-off
 * gives after a number of failures.
 */
class DelaySequenceBackOffTests {

	@Test
	void theDelaysComeInTurnAndTheLastRepeats() {
		DelaySequenceBackOff backOff = new DelaySequenceBackOff(
				List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)));
		assertThat(DelaySequenceBackOff.delayAfter(backOff, 1)).isEqualTo(1000);
		assertThat(DelaySequenceBackOff.delayAfter(backOff, 2)).isEqualTo(5000);
		assertThat(DelaySequenceBackOff.delayAfter(backOff, 3)).isEqualTo(30_000);
		assertThat(DelaySequenceBackOff.delayAfter(backOff, 9)).isEqualTo(30_000);
		assertThat(backOff).hasToString("DelaySequenceBackOff[PT1S, PT5S, PT30S]");
	}

	@Test
	void springBackOffsKeepTheirSemanticsIncludingStopping() {
		ExponentialBackOff exponential = new ExponentialBackOff(1000, 2.0);
		exponential.setMaxInterval(5000);
		assertThat(DelaySequenceBackOff.delayAfter(exponential, 1)).isEqualTo(1000);
		assertThat(DelaySequenceBackOff.delayAfter(exponential, 3)).isEqualTo(4000);
		assertThat(DelaySequenceBackOff.delayAfter(exponential, 6)).isEqualTo(5000);
		FixedBackOff twoRetries = new FixedBackOff(200, 2);
		assertThat(DelaySequenceBackOff.delayAfter(twoRetries, 2)).isEqualTo(200);
		assertThat(DelaySequenceBackOff.delayAfter(twoRetries, 3)).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void emptyAndNegativeDelaysAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DelaySequenceBackOff(List.of()))
			.withMessage("A back-off needs at least one delay");
		assertThatIllegalArgumentException().isThrownBy(() -> new DelaySequenceBackOff(List.of(Duration.ofSeconds(-1))))
			.withMessageContaining("is negative");
	}

}
