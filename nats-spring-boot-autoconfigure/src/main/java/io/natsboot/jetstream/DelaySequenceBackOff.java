package io.natsboot.jetstream;

import java.time.Duration;
import java.util.List;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * A {@link BackOff} that waits the given delays in turn and then repeats the last one,
 * like the {@code backoff} list of a NATS consumer: {@code 1s, 5s, 30s} waits 1 s after
 * the first failure, 5 s after the second and 30 s after every later one.
 */
public final class DelaySequenceBackOff implements BackOff {

	private final long[] delays;

	/**
	 * Creates the back-off.
	 * @param delays the delays, at least one, none negative
	 */
	public DelaySequenceBackOff(List<Duration> delays) {
		if (delays.isEmpty()) {
			throw new IllegalArgumentException("A back-off needs at least one delay");
		}
		this.delays = new long[delays.size()];
		for (int i = 0; i < this.delays.length; i++) {
			if (delays.get(i).isNegative()) {
				throw new IllegalArgumentException("Back-off delay " + delays.get(i) + " is negative");
			}
			this.delays[i] = delays.get(i).toMillis();
		}
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {

			private int next;

			@Override
			public long nextBackOff() {
				long delay = DelaySequenceBackOff.this.delays[Math.min(this.next,
						DelaySequenceBackOff.this.delays.length - 1)];
				this.next++;
				return delay;
			}

		};
	}

	/**
	 * The delay a back-off prescribes after a number of failures.
	 * @param backOff the back-off
	 * @param failures how many attempts failed so far, at least 1
	 * @return the delay in milliseconds, or {@link BackOffExecution#STOP} when the
	 * back-off gives up
	 */
	public static long delayAfter(BackOff backOff, long failures) {
		BackOffExecution execution = backOff.start();
		long delay = BackOffExecution.STOP;
		for (long i = 0; i < Math.max(1, failures); i++) {
			delay = execution.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return delay;
			}
		}
		return delay;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("DelaySequenceBackOff[");
		for (int i = 0; i < this.delays.length; i++) {
			text.append((i > 0) ? ", " : "").append(Duration.ofMillis(this.delays[i]));
		}
		return text.append("]").toString();
	}

}
