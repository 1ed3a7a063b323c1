package io.natsboot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * The context of a message a listener processes: a core {@code @NatsListener}'s, or a
 * durable one's delivery with its stream, consumer, sequence and delivery count. Its
 * carrier is the received message, whose headers continue the sender's trace.
 */
public class NatsProcessContext extends ReceiverContext<Message> {

	private final KeyValueStore low = new KeyValueStore();

	private final KeyValueStore high = new KeyValueStore();

	private final NatsListenerObservation observation;

	private final String listenerId;

	private final String subscribedSubject;

	private final @Nullable String queueGroup;

	private final @Nullable String stream;

	private final @Nullable String consumer;

	private final long streamSequence;

	private final long deliveryCount;

	private NatsProcessContext(NatsListenerObservation observation, String listenerId, String subscribedSubject,
			@Nullable String queueGroup, Message message, @Nullable String stream, @Nullable String consumer,
			long streamSequence, long deliveryCount) {
		super(NatsMessageHeaders.GETTER, Kind.CONSUMER);
		this.observation = observation;
		this.listenerId = listenerId;
		this.subscribedSubject = subscribedSubject;
		this.queueGroup = queueGroup;
		this.stream = stream;
		this.consumer = consumer;
		this.streamSequence = streamSequence;
		this.deliveryCount = deliveryCount;
		setCarrier(message);
	}

	/**
	 * The context of a message a core listener received.
	 * @param listenerId the listener's id
	 * @param subscribedSubject the full subject it subscribed to, wildcards and all
	 * @param queueGroup its queue group, or null
	 * @param message the message
	 * @return the context
	 */
	public static NatsProcessContext core(String listenerId, String subscribedSubject, @Nullable String queueGroup,
			Message message) {
		return new NatsProcessContext(NatsListenerObservation.PROCESS, listenerId, subscribedSubject, queueGroup,
				message, null, null, 0, 0);
	}

	/**
	 * The context of one delivery to a durable listener.
	 * @param listenerId the listener's id
	 * @param subscribedSubject the full subject its consumer filters on
	 * @param stream the stream
	 * @param consumer the durable consumer
	 * @param message the message
	 * @param streamSequence its sequence in the stream
	 * @param deliveryCount how many times it has been delivered, this time included
	 * @return the context
	 */
	public static NatsProcessContext durable(String listenerId, String subscribedSubject, String stream,
			String consumer, Message message, long streamSequence, long deliveryCount) {
		return new NatsProcessContext(NatsListenerObservation.JETSTREAM_PROCESS, listenerId, subscribedSubject, null,
				message, stream, consumer, streamSequence, deliveryCount);
	}

	/**
	 * What is observed.
	 * @return a core or a durable listener's processing
	 */
	public NatsListenerObservation getObservation() {
		return this.observation;
	}

	/**
	 * The listener's id.
	 * @return the id
	 */
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * The full subject the listener subscribed to, wildcards and all.
	 * @return the subject
	 */
	public String getSubscribedSubject() {
		return this.subscribedSubject;
	}

	/**
	 * The listener's queue group.
	 * @return the group, or null for none (always for durable listeners)
	 */
	public @Nullable String getQueueGroup() {
		return this.queueGroup;
	}

	/**
	 * The stream of a durable listener.
	 * @return the stream, or null for a core listener
	 */
	public @Nullable String getStream() {
		return this.stream;
	}

	/**
	 * The consumer of a durable listener.
	 * @return the consumer, or null for a core listener
	 */
	public @Nullable String getConsumer() {
		return this.consumer;
	}

	/**
	 * The message's sequence in its stream.
	 * @return the sequence, or 0 for a core listener
	 */
	public long getStreamSequence() {
		return this.streamSequence;
	}

	/**
	 * How many times the message has been delivered, this time included.
	 * @return the count, or 0 for a core listener
	 */
	public long getDeliveryCount() {
		return this.deliveryCount;
	}

	// key values: see KeyValueStore

	@Override
	public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.low.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		this.high.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		this.low.add(keyValues);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		this.high.add(keyValues);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.low.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValue(String keyName) {
		this.high.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValues(String... keyNames) {
		this.low.remove(keyNames);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValues(String... keyNames) {
		this.high.remove(keyNames);
		return this;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		return this.low.get();
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		return this.high.get();
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		return this.low.get(key);
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		return this.high.get(key);
	}

	@Override
	public KeyValues getAllKeyValues() {
		return KeyValueStore.all(this.low, this.high);
	}

}
