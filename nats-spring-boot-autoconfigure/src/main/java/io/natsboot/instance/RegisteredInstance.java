package io.natsboot.instance;

/**
 * An instance as the registry lists it.
 *
 * @param info what it wrote with its last heartbeat
 * @param state whether it is still heart-beating
 * @param self whether it is the instance asking
 */
public record RegisteredInstance(InstanceInfo info, State state, boolean self) {

	/**
	 * Whether an instance still heart-beats.
	 */
	public enum State {

		/** Its last heartbeat is within the timeout. */
		UP,

		/** Its last heartbeat is older than the timeout: stopped without leaving. */
		GONE

	}

}
