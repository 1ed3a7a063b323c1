package io.natsboot.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs what ends a subscription or a listener after its timeout: one shared daemon timer
 * thread, which lives only while a timeout is pending, hands each due action to a thread
 * of its own, so that an action that drains for a while never delays the others.
 */
public final class NatsTimeouts {

	private NatsTimeouts() {
	}

	/**
	 * Runs an action once a duration has passed, unless cancelled first.
	 * @param delay how long to wait
	 * @param threadName the name of the thread the action runs on
	 * @param action the action
	 * @return the pending action; cancelling it is how a stop makes it moot
	 */
	public static ScheduledFuture<?> after(Duration delay, String threadName, Runnable action) {
		return Timer.INSTANCE.schedule(() -> NatsThreads.daemon(threadName).newThread(action).start(), delay.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Checks a timeout given by a user.
	 * @param timeout the timeout
	 * @param what what the timeout is of, for the message
	 * @return the timeout
	 * @throws IllegalArgumentException when it is null, zero or negative
	 */
	public static Duration checkPositive(Duration timeout, String what) {
		if (timeout == null || timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("The timeout of " + what + " must be positive, was " + timeout);
		}
		return timeout;
	}

	/**
	 * Created on first use; its thread ends when no timeout is pending.
	 */
	private static final class Timer {

		static final ScheduledThreadPoolExecutor INSTANCE = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
					NatsThreads.daemon("nats-timeouts"));
			// a stopped listener or an unsubscribed subscription leaves nothing behind
			executor.setRemoveOnCancelPolicy(true);
			executor.setKeepAliveTime(1, TimeUnit.SECONDS);
			executor.allowCoreThreadTimeOut(true);
			return executor;
		}

	}

}
