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

	/**
	 * Header that tells how a greeting was sent: {@code batch} for a batch publish.
	 */
	static final String SOURCE_HEADER = "Greeting-Source";

	private final ConcurrentLinkedDeque<Greeting> greetings = new ConcurrentLinkedDeque<>();

	private final ConcurrentLinkedDeque<String> processedJobs = new ConcurrentLinkedDeque<>();

	private final ConcurrentLinkedDeque<String> billedOrders = new ConcurrentLinkedDeque<>();

	/**
	 * An event handler: keeps the latest greetings.
	 * @param text the greeting
	 * @param subject the subject without namespace
	 * @param message the whole message
	 */
	@NatsListener(id = "greetings", subject = "greetings")
	void onGreeting(String text, @Subject String subject, NatsMessage message) {
		String source = message.header(SOURCE_HEADER);
		this.greetings.addFirst(
				new Greeting(subject, text, (source != null) ? source : "publish", message.timestamp().toString()));
		while (this.greetings.size() > 20) {
			this.greetings.removeLast();
		}
	}

	/**
	 * A queue-group worker: every instance of the sample shares the jobs, each job
	 * handled once.
	 * @param job the job
	 * @param subject the job's subject, e.g. {@code jobs.resize}
	 */
	@NatsListener(id = "job-worker", subject = "jobs.>", queue = "job-workers", concurrency = "2")
	void work(Job job, @Subject String subject) {
		this.processedJobs.addFirst(subject + ":" + job.name());
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

	List<String> processedJobs() {
		return List.copyOf(this.processedJobs);
	}

	/**
	 * A greeting received on the {@code greetings} subject.
	 *
	 * @param subject the subject without namespace
	 * @param text the greeting
	 * @param source {@code publish}, or the {@value #SOURCE_HEADER} header, e.g.
	 * {@code batch}
	 * @param receivedAt when it arrived
	 */
	record Greeting(String subject, String text, String source, String receivedAt) {
	}

	/**
	 * A job for the queue-group workers.
	 *
	 * @param name what to do
	 */
	record Job(String name) {
	}

}
