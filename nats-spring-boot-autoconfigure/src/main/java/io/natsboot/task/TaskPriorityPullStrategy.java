package io.natsboot.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.natsboot.jetstream.JetStreamPullWorker;
import io.natsboot.jetstream.PullStrategy;

/**
 * How a task worker serves its queue's consumers, highest priority first, sharing its
 * handler slots: a round takes from the first consumer that has tasks, with pulls that do
 * not wait, so higher priorities go first; every {@value #STARVATION_GUARD_ROUNDS}th
 * round starts from the last consumer, so the lowest priority is never starved. When all
 * are empty, one pull waits on the highest priority. One instance per
 * {@link JetStreamPullWorker}: it counts that worker's rounds.
 */
final class TaskPriorityPullStrategy implements PullStrategy {

	/**
	 * Every this many pulls, a worker of several consumers starts from the lowest
	 * priority.
	 */
	static final int STARVATION_GUARD_ROUNDS = 8;

	/**
	 * The longest a worker of several consumers waits on the highest priority when all
	 * are empty.
	 */
	private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

	/** The first wait on the highest priority once all consumers are empty. */
	private static final long FIRST_IDLE_WAIT_MILLIS = 5;

	private final AtomicLong rounds = new AtomicLong();

	/** Rounds in a row in which no consumer had messages. */
	private final AtomicInteger idleRounds = new AtomicInteger();

	@Override
	public void pull(Pulls pulls, int slots) throws InterruptedException {
		int consumers = pulls.consumers();
		Duration wait = pulls.maxWait();
		boolean lowestFirst = this.rounds.incrementAndGet() % STARVATION_GUARD_ROUNDS == 0;
		for (int i = 0; i < consumers && pulls.taken() < slots; i++) {
			int left = slots - pulls.taken();
			pulls.pullNoWait(lowestFirst ? consumers - 1 - i : i, left);
		}
		// all empty: wait on the highest priority, briefly while tasks keep coming (the
		// others are looked at again soon), longer the longer the worker is idle
		int idle = (pulls.taken() == 0) ? this.idleRounds.getAndIncrement() : 0;
		// (from 5 ms: tasks of a lower priority that come just after a burst wait no
		// longer than that for the next round, doubling to the idle wait in nine rounds)
		Duration idleWait = Duration
			.ofMillis(Math.min(IDLE_WAIT.toMillis(), FIRST_IDLE_WAIT_MILLIS << Math.min(idle, 8)));
		wait = idleWait.compareTo(wait) < 0 ? idleWait : wait;
		if (pulls.taken() == 0) {
			pulls.pullAndWait(0, slots, wait);
		}
		if (pulls.taken() > 0) {
			this.idleRounds.set(0);
		}
	}

}
