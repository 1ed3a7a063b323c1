package io.natsboot.sample;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.natsboot.core.NatsMessage;
import io.natsboot.listener.NatsListener;
import io.natsboot.listener.Subject;

import org.springframework.stereotype.Component;

/**
 * The sample's {@code @NatsListener}s: an event handler, a queue-group worker and a request-reply
 * service.
 */
@Component
public class SampleListeners {

	private final ConcurrentLinkedDeque<Greeting> greetings = new ConcurrentLinkedDeque<>();

	private final ConcurrentLinkedDeque<String> processedTasks = new ConcurrentLinkedDeque<>();

	/**
	 * An event handler: keeps the latest greetings.
	 * @param text the greeting
	 * @param subject the subject without namespace
	 * @param message the whole message
	 */
	@NatsListener(id = "greetings", subject = "greetings")
	void onGreeting(String text, @Subject String subject, NatsMessage message) {
		this.greetings.addFirst(new Greeting(subject, text, message.timestamp().toString()));
		while (this.greetings.size() > 20) {
			this.greetings.removeLast();
		}
	}

	/**
	 * A queue-group worker: every instance of the sample shares the tasks, each task handled once.
	 * @param task the task
	 * @param subject the task's subject, e.g. {@code tasks.resize}
	 */
	@NatsListener(id = "task-worker", subject = "tasks.>", queue = "task-workers", concurrency = "2")
	void work(Task task, @Subject String subject) {
		this.processedTasks.addFirst(subject + ":" + task.name());
	}

	/**
	 * A request-reply service: the return value is the reply.
	 * @param text the request
	 * @return the same text
	 */
	@NatsListener(id = "echo", subject = "service.echo", queue = "echo-service")
	String echo(String text) {
		return text;
	}

	List<Greeting> latestGreetings() {
		return List.copyOf(this.greetings);
	}

	List<String> processedTasks() {
		return List.copyOf(this.processedTasks);
	}

	/**
	 * A greeting received on the {@code greetings} subject.
	 *
	 * @param subject the subject without namespace
	 * @param text the greeting
	 * @param receivedAt when it arrived
	 */
	record Greeting(String subject, String text, String receivedAt) {
	}

	/**
	 * A task for the workers.
	 *
	 * @param name what to do
	 */
	record Task(String name) {
	}

}
