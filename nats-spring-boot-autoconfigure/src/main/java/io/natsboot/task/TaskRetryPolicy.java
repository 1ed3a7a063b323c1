package io.natsboot.task;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a task runs and how long it waits between runs: exponential back-off from
 * {@code initialInterval}, growing by {@code multiplier} up to {@code maxInterval}, each
 * delay spread by up to {@code jitter} (a fraction) either way so retries of many tasks
 * do not come in waves.
 *
 * @param maxAttempts runs allowed in all, at least 1
 * @param initialInterval the delay after the first failure
 * @param multiplier how much each further delay grows, at least 1
 * @param maxInterval the longest delay
 * @param jitter the spread, 0 to 1
 */
public record TaskRetryPolicy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval,
		double jitter) {

	/**
	 * Checks the policy.
	 */
	public TaskRetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (initialInterval.isNegative() || maxInterval.isNegative()) {
			throw new IllegalArgumentException("Retry intervals must not be negative");
		}
		if (multiplier < 1) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
		}
	}

	/**
	 * The delay after a failed run.
	 * @param failedAttempts runs that failed so far, at least 1
	 * @return the delay before the next run
	 */
	public Duration delayAfter(int failedAttempts) {
		double delay = this.initialInterval.toMillis() * Math.pow(this.multiplier, Math.max(0, failedAttempts - 1));
		delay = Math.min(delay, this.maxInterval.toMillis());
		if (this.jitter > 0) {
			delay = delay * (1 + this.jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1));
		}
		return Duration.ofMillis(Math.max(0, Math.round(delay)));
	}

}
