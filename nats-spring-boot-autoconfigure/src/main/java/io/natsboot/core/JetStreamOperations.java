package io.natsboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * JetStream operations: streams and consumers (with jnats' own configuration builders),
 * publish with acknowledgement, and pulling in batches. Stream and consumer names get the
 * application's namespace as a prefix ({@code myapp_ORDERS}), subjects get it as usual
 * ({@code myapp.orders.>}). Obtained from {@code NatsTemplate.jetStream()}.
 */
public interface JetStreamOperations {

	/**
	 * Creates a stream, or updates it to the configuration when it exists; safe to repeat
	 * at every start-up and reconnect.
	 * @param configuration the stream configuration, e.g.
	 * {@code StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build()}
	 * @return the stream's state
	 */
	StreamInfo createOrUpdateStream(StreamConfiguration configuration);

	/**
	 * Creates a stream; fails when one of that name exists with another configuration.
	 * @param configuration the stream configuration
	 * @return the stream's state
	 */
	StreamInfo createStream(StreamConfiguration configuration);

	/**
	 * Updates an existing stream.
	 * @param configuration the new configuration
	 * @return the stream's state
	 */
	StreamInfo updateStream(StreamConfiguration configuration);

	/**
	 * The state of a stream: configuration, message and byte counts, consumers.
	 * @param stream the stream name
	 * @return the stream's state
	 * @throws NatsJetStreamException when there is no such stream (code 10059)
	 */
	StreamInfo streamInfo(String stream);

	/**
	 * The application's streams (all streams without a namespace).
	 * @return the streams with their message and byte counts
	 */
	List<StreamInfo> streams();

	/**
	 * Deletes a stream and its messages.
	 * @param stream the stream name
	 * @return true when it was deleted
	 */
	boolean deleteStream(String stream);

	/**
	 * Removes all messages of a stream.
	 * @param stream the stream name
	 * @return how many messages were removed
	 */
	long purgeStream(String stream);

	/**
	 * Creates a consumer, or updates it when it exists (filter subjects get the
	 * namespace).
	 * @param stream the stream name
	 * @param configuration e.g.
	 * {@code ConsumerConfiguration.builder().durable("billing").ackWait(Duration.ofSeconds(30)).build()}
	 * @return the consumer's state
	 */
	ConsumerInfo createOrUpdateConsumer(String stream, ConsumerConfiguration configuration);

	/**
	 * The state of a consumer.
	 * @param stream the stream name
	 * @param consumer the consumer name
	 * @return the consumer's state
	 */
	ConsumerInfo consumerInfo(String stream, String consumer);

	/**
	 * The consumers of a stream.
	 * @param stream the stream name
	 * @return their states
	 */
	List<ConsumerInfo> consumers(String stream);

	/**
	 * Deletes a consumer.
	 * @param stream the stream name
	 * @param consumer the consumer name
	 * @return true when it was deleted
	 */
	boolean deleteConsumer(String stream, String consumer);

	/**
	 * Publishes to a stream's subject and waits for the stream's acknowledgement.
	 * @param subject the subject
	 * @param payload the payload, converted like a core publish
	 * @return the acknowledgement: stream, sequence, duplicate flag
	 */
	PublishAck publish(String subject, Object payload);

	/**
	 * Publishes with options, e.g.
	 * {@code PublishOptions.builder().messageId("order-42").build()} to deduplicate
	 * within the stream's duplicate window.
	 * @param subject the subject
	 * @param payload the payload
	 * @param options the jnats publish options
	 * @return the acknowledgement
	 */
	PublishAck publish(String subject, Object payload, PublishOptions options);

	/**
	 * Publishes without waiting; the future completes with the acknowledgement.
	 * @param subject the subject
	 * @param payload the payload
	 * @param options the jnats publish options, or null
	 * @return the acknowledgement to come
	 */
	CompletableFuture<PublishAck> publishAsync(String subject, Object payload, PublishOptions options);

	/**
	 * Pulls up to a batch of messages from a consumer. Returns when {@code batchSize}
	 * messages arrived or {@code maxWait} (at least one second, a jnats minimum) passed,
	 * whichever is first; keep {@code maxWait} below the consumer's ack wait, or
	 * unacknowledged messages of this very batch come again in it.
	 * @param stream the stream name
	 * @param consumer the durable consumer's name
	 * @param batchSize the most messages to return
	 * @param maxWait how long to wait for messages
	 * @return the messages, possibly none; each must be acknowledged
	 */
	List<JetStreamMessage> pull(String stream, String consumer, int batchSize, Duration maxWait);

}
