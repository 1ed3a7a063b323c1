package io.natsboot.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.EnableRabbit;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring AMQP side of {@link RabbitTaskQueueBenchmark}, on a {@link RabbitMqNode} of
 * its own: a {@code @RabbitListener} on the durable queue {@code peer} (acknowledge mode
 * AUTO: acknowledged once the method returned; {@code consumers} concurrent consumers,
 * each with {@code prefetch} unacknowledged messages at most) and a
 * {@link RabbitTemplate} with correlated publisher confirms, both converting
 * {@link ListenerBenchmark.Order} as JSON. A {@link SimpleMeterRegistry} is in the
 * context, as in an application with Actuator, so the listener containers time every
 * message like natsboot's workers do.
 */
final class SpringAmqpPeer implements AutoCloseable {

	static final String QUEUE = "peer";

	static final AtomicLong HANDLED = new AtomicLong();

	private static final ListenerBenchmark.Order ORDER = new ListenerBenchmark.Order("order-1", 3);

	private final RabbitMqNode node;

	private final AnnotationConfigApplicationContext context;

	private final RabbitTemplate template;

	/**
	 * Starts a node, declares the queue and starts the listener's consumers.
	 * @param consumers the listener's concurrent consumers
	 * @param prefetch the unacknowledged messages one consumer may hold
	 */
	SpringAmqpPeer(int consumers, int prefetch) {
		this.node = RabbitMqNode.start();
		try {
			this.context = listenerContext(this.node.amqpPort(), consumers, prefetch);
		}
		catch (RuntimeException ex) {
			this.node.close();
			throw ex;
		}
		this.template = this.context.getBean(RabbitTemplate.class);
	}

	private static AnnotationConfigApplicationContext listenerContext(int port, int consumers, int prefetch) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", port);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		MessageConverter converter = jsonConverter();
		RabbitTemplate template = new RabbitTemplate(connectionFactory);
		template.setMessageConverter(converter);
		SimpleRabbitListenerContainerFactory containers = new SimpleRabbitListenerContainerFactory();
		containers.setConnectionFactory(connectionFactory);
		containers.setMessageConverter(converter);
		containers.setAcknowledgeMode(AcknowledgeMode.AUTO);
		containers.setConcurrentConsumers(consumers);
		containers.setMaxConcurrentConsumers(consumers);
		containers.setPrefetchCount(prefetch);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
		// beans, so that closing the context also ends the factory's channel threads
		context.registerBean("rabbitConnectionFactory", CachingConnectionFactory.class, () -> connectionFactory);
		// the admin declares the queue as the first connection opens
		context.registerBean("peerQueue", Queue.class, () -> new Queue(QUEUE, true));
		context.registerBean(RabbitAdmin.class, () -> new RabbitAdmin(connectionFactory));
		context.registerBean(RabbitTemplate.class, () -> template);
		context.registerBean("rabbitListenerContainerFactory", SimpleRabbitListenerContainerFactory.class,
				() -> containers);
		context.register(ListenerConfiguration.class, OrderListener.class);
		context.refresh();
		return context;
	}

	/**
	 * Publishes orders to the queue, persistent, and waits until the node confirmed every
	 * one.
	 * @param count how many
	 * @throws Exception when a confirm is missing after 60 seconds or negative
	 */
	void publishConfirmed(int count) throws Exception {
		CorrelationData[] correlations = new CorrelationData[count];
		CompletableFuture<?>[] confirms = new CompletableFuture<?>[count];
		// one channel for the batch (a scoped operation): the template's plain send
		// takes a channel per message while confirms are pending, since a channel goes
		// back to the cache only once all its confirms have come
		this.template.invoke((operations) -> {
			for (int i = 0; i < count; i++) {
				correlations[i] = new CorrelationData();
				operations.convertAndSend("", QUEUE, ORDER, correlations[i]);
				confirms[i] = correlations[i].getFuture();
			}
			return null;
		});
		CompletableFuture.allOf(confirms).get(60, TimeUnit.SECONDS);
		for (CorrelationData correlation : correlations) {
			CorrelationData.Confirm confirm = correlation.getFuture().get();
			if (!confirm.ack()) {
				throw new IllegalStateException(
						"RabbitMQ refused publish " + correlation.getId() + ": " + confirm.reason());
			}
		}
	}

	@Override
	public void close() {
		try {
			this.context.close();
		}
		finally {
			this.node.close();
		}
	}

	/**
	 * Spring AMQP's Jackson 2 converter. Its Jackson 3 successor would need Jackson 3 on
	 * the benchmarks' class path, which would switch natsboot's own JSON codec (it
	 * prefers Jackson 3) in every benchmark of this jar; both sides here use Jackson 2.
	 */
	@SuppressWarnings("removal")
	private static MessageConverter jsonConverter() {
		return new org.springframework.amqp.support.converter.Jackson2JsonMessageConverter();
	}

	/**
	 * Turns on {@code @RabbitListener} processing.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableRabbit
	static class ListenerConfiguration {

	}

	/**
	 * The listener under test.
	 */
	public static class OrderListener {

		/**
		 * Counts an order.
		 * @param order the order, converted from JSON
		 */
		@RabbitListener(queues = QUEUE)
		public void onOrder(ListenerBenchmark.Order order) {
			if (order.quantity() > 0) {
				HANDLED.incrementAndGet();
			}
		}

	}

}
