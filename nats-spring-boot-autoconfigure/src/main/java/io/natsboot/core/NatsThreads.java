package io.natsboot.core;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The one way natsboot makes its own threads: daemon threads (so that they never keep a
 * JVM alive after the application context closed) named after what they do, made by
 * Spring's {@link CustomizableThreadFactory}.
 */
public final class NatsThreads {

	private NatsThreads() {
	}

	/**
	 * Returns a factory of daemon threads that are all called {@code name}, without the
	 * counter {@link CustomizableThreadFactory} appends by default: the names are those
	 * natsboot's threads have always had (e.g. {@code nats-pull-orders}), which logs and
	 * thread dumps show.
	 * @param name the name of every thread, e.g. {@code nats-listener-} and the
	 * listener's id
	 * @return the factory
	 */
	public static ThreadFactory daemon(String name) {
		CustomizableThreadFactory factory = new FixedNameThreadFactory(name);
		factory.setDaemon(true);
		return factory;
	}

	/**
	 * Gives every thread the prefix alone as its name.
	 */
	@SuppressWarnings("serial")
	private static final class FixedNameThreadFactory extends CustomizableThreadFactory {

		FixedNameThreadFactory(String name) {
			super(name);
		}

		@Override
		protected String nextThreadName() {
			return getThreadNamePrefix();
		}

	}

}
