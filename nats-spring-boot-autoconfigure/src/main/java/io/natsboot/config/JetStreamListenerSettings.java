package io.natsboot.config;

import java.time.Duration;
import java.time.ZonedDateTime;

import io.nats.client.api.DeliverPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;

/**
 * What makes a listener endpoint durable: the stream and durable consumer it consumes,
 * and how (see {@link io.natsboot.annotation.NatsListener#stream()} and the attributes
 * after it). Names are given without the namespace; unset values take the defaults
 * documented on {@link io.natsboot.annotation.NatsListener}.
 */
public class JetStreamListenerSettings {

	/** The default max deliveries. */
	public static final int DEFAULT_MAX_DELIVER = 5;

	/** The default ack wait. */
	public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

	/** The default batch size. */
	public static final int DEFAULT_BATCH_SIZE = 10;

	private final String stream;

	private final String durable;

	private DeliverPolicy deliverPolicy = DeliverPolicy.All;

	private @Nullable Long startSequence;

	private @Nullable ZonedDateTime startTime;

	private Duration ackWait = DEFAULT_ACK_WAIT;

	private int maxDeliver = DEFAULT_MAX_DELIVER;

	private @Nullable BackOff backOff;

	private @Nullable Integer maxAckPending;

	private int batchSize = DEFAULT_BATCH_SIZE;

	private @Nullable String deadLetterSubject;

	private boolean manualAck;

	/**
	 * Creates settings.
	 * @param stream the stream, without namespace
	 * @param durable the durable consumer's name, without namespace
	 */
	public JetStreamListenerSettings(String stream, String durable) {
		this.stream = stream;
		this.durable = durable;
	}

	/**
	 * @return the stream, without namespace
	 */
	public String getStream() {
		return this.stream;
	}

	/**
	 * @return the durable consumer's name, without namespace
	 */
	public String getDurable() {
		return this.durable;
	}

	/**
	 * @return where a new consumer starts
	 */
	public DeliverPolicy getDeliverPolicy() {
		return this.deliverPolicy;
	}

	/**
	 * @param deliverPolicy where a new consumer starts
	 */
	public void setDeliverPolicy(DeliverPolicy deliverPolicy) {
		this.deliverPolicy = deliverPolicy;
	}

	/**
	 * @return the first sequence for {@link DeliverPolicy#ByStartSequence}, or null
	 */
	public @Nullable Long getStartSequence() {
		return this.startSequence;
	}

	/**
	 * @param startSequence the first sequence for {@link DeliverPolicy#ByStartSequence}
	 */
	public void setStartSequence(@Nullable Long startSequence) {
		this.startSequence = startSequence;
	}

	/**
	 * @return the start time for {@link DeliverPolicy#ByStartTime}, or null
	 */
	public @Nullable ZonedDateTime getStartTime() {
		return this.startTime;
	}

	/**
	 * @param startTime the start time for {@link DeliverPolicy#ByStartTime}
	 */
	public void setStartTime(@Nullable ZonedDateTime startTime) {
		this.startTime = startTime;
	}

	/**
	 * @return how long the server waits for an acknowledgement before it redelivers
	 */
	public Duration getAckWait() {
		return this.ackWait;
	}

	/**
	 * @param ackWait how long the server waits for an acknowledgement before it
	 * redelivers
	 */
	public void setAckWait(Duration ackWait) {
		this.ackWait = ackWait;
	}

	/**
	 * @return deliveries before a failing message goes to dead letters
	 */
	public int getMaxDeliver() {
		return this.maxDeliver;
	}

	/**
	 * @param maxDeliver deliveries before a failing message goes to dead letters
	 */
	public void setMaxDeliver(int maxDeliver) {
		this.maxDeliver = maxDeliver;
	}

	/**
	 * @return the delays before redelivering a failed message, or null for the default
	 */
	public @Nullable BackOff getBackOff() {
		return this.backOff;
	}

	/**
	 * @param backOff the delays before redelivering a failed message
	 */
	public void setBackOff(@Nullable BackOff backOff) {
		this.backOff = backOff;
	}

	/**
	 * @return the most unacknowledged messages the server hands out, or null for its
	 * default
	 */
	public @Nullable Integer getMaxAckPending() {
		return this.maxAckPending;
	}

	/**
	 * @param maxAckPending the most unacknowledged messages the server hands out
	 */
	public void setMaxAckPending(@Nullable Integer maxAckPending) {
		this.maxAckPending = maxAckPending;
	}

	/**
	 * @return the most messages one pull asks for
	 */
	public int getBatchSize() {
		return this.batchSize;
	}

	/**
	 * @param batchSize the most messages one pull asks for
	 */
	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	/**
	 * @return the dead-letter subject without namespace, or null for the default
	 */
	public @Nullable String getDeadLetterSubject() {
		return this.deadLetterSubject;
	}

	/**
	 * @param deadLetterSubject the dead-letter subject without namespace
	 */
	public void setDeadLetterSubject(@Nullable String deadLetterSubject) {
		this.deadLetterSubject = deadLetterSubject;
	}

	/**
	 * @return whether the listener acknowledges itself (it takes an
	 * {@code Acknowledgment})
	 */
	public boolean isManualAck() {
		return this.manualAck;
	}

	/**
	 * @param manualAck whether the listener acknowledges itself
	 */
	public void setManualAck(boolean manualAck) {
		this.manualAck = manualAck;
	}

}
