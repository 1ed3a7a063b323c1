package io.natsboot.jetstream;

/**
 * A worker of one consumer: each round is one pull for all free slots, waiting up to the
 * max wait.
 */
final class SingleConsumerPullStrategy implements PullStrategy {

	static final SingleConsumerPullStrategy INSTANCE = new SingleConsumerPullStrategy();

	private SingleConsumerPullStrategy() {
	}

	@Override
	public void pull(Pulls pulls, int slots) throws InterruptedException {
		pulls.pullAndWait(0, slots, pulls.maxWait());
	}

}
