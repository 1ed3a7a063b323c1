package io.natsboot.task;

import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.autoconfigure.NatsTaskQueueAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The context the task-queue tests start: the connection and the task queue on a real
 * server, in a namespace of the test's own so that streams and buckets never meet.
 */
final class TaskQueueContexts {

	private TaskQueueContexts() {
	}

	/**
	 * A runner of task-queue contexts.
	 * @param url the server
	 * @param namespace the namespace of the test
	 * @return the runner, failing start-up when the server cannot be reached
	 */
	static ApplicationContextRunner runner(String url, String namespace) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class, NatsTaskQueueAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + namespace);
	}

}
