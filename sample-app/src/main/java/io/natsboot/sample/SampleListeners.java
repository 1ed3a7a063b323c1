package io.natsboot.sample;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.natsboot.annotation.NatsListener;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.NatsMessage;
import io.natsboot.listener.adapter.Subject;

import org.springframework.stereotype.Component;

/**
 * The sample's {@code @NatsListener}s: an event handler, a queue-group worker, a
 * request-reply service and a durable consumer of the {@code ORDERS} stream.
 */
@Component
public class SampleListeners {

	private final ConcurrentLinkedDeque<Greeting> greetings = new ConcurrentLinkedDeque<>();

	private final ConcurrentLinkedDeque<String> processedTasks = new ConcurrentLinkedDeque<>();

	private final ConcurrentLinkedDeque<String> billedOrders = new ConcurrentLinkedDeque<>();

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
	 * A queue-group worker: every instance of the sample shares the tasks, each task
	 * handled once.
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

	/**
	 * A durable event consumer: bills every order in the {@code ORDERS} stream, including
	 * those stored while the sample was down, each at least once. A failure is retried
	 * after 1 s, then 5 s; after three deliveries the order goes to the
	 * {@code DEAD_LETTERS} stream.
	 * @param order the order
	 * @param metadata its position in the stream and delivery count
	 */
	@NatsListener(id = "order-billing", subject = "orders.>", stream = NatsShowcase.ORDERS_STREAM, durable = "billing",
			maxDeliver = "3", backoff = "1s, 5s")
	void bill(NatsShowcaseController.Order order, JetStreamMessage metadata) {
		if (order.quantity() < 1) {
			throw new IllegalArgumentException("order " + order.id() + " has no items");
		}
		this.billedOrders.addFirst(order.id() + "@" + metadata.streamSequence());
	}

	List<String> billedOrders() {
		return List.copyOf(this.billedOrders);
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
