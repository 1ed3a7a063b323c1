package io.natsboot.jetstream;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What a {@link JetStreamPullWorker} consumes and how: the stream, the durable consumer's
 * configuration (created or updated when the worker connects), how many handlers run at
 * once, how failures are retried and where dead letters go. Names and subjects are full
 * (namespace applied). Built with
 * {@link #builder(String, String, ConsumerConfiguration)}.
 */
public final class PullWorkerSettings {

	private final String id;

	private final String stream;

	private final List<ConsumerConfiguration> consumers;

	private final int concurrency;

	private final int batchSize;

	private final int prefetch;

	private final Duration maxWait;

	private final Duration drainTimeout;

	private final Duration statusInterval;

	private final Duration maxProcessingTime;

	private final BackOff retryBackOff;

	private final Predicate<Throwable> nonRetryable;

	private final boolean autoAck;

	private final @Nullable String deadLetterSubject;

	private final @Nullable StreamConfiguration deadLetterStream;

	private PullWorkerSettings(Builder builder) {
		this.id = builder.id;
		this.stream = builder.stream;
		this.consumers = builder.consumers;
		this.concurrency = builder.concurrency;
		this.batchSize = builder.batchSize;
		this.prefetch = builder.prefetch;
		this.maxWait = builder.maxWait;
		this.drainTimeout = builder.drainTimeout;
		this.statusInterval = builder.statusInterval;
		this.maxProcessingTime = builder.maxProcessingTime;
		this.retryBackOff = builder.retryBackOff;
		this.nonRetryable = builder.nonRetryable;
		this.autoAck = builder.autoAck;
		this.deadLetterSubject = builder.deadLetterSubject;
		this.deadLetterStream = builder.deadLetterStream;
	}

	/**
	 * Starts settings for a worker.
	 * @param id the worker's id, for logs, metrics and health
	 * @param stream the full stream name
	 * @param consumer the durable consumer's configuration (durable name and filter
	 * subject full)
	 * @return the builder
	 */
	public static Builder builder(String id, String stream, ConsumerConfiguration consumer) {
		return new Builder(id, stream, List.of(consumer));
	}

	/**
	 * Starts settings for a worker that serves several consumers of one stream, sharing
	 * its handler slots; which consumer a pull takes from is the worker's
	 * {@link PullStrategy}'s choice.
	 * @param id the worker's id, for logs, metrics and health
	 * @param stream the full stream name
	 * @param consumers the durable consumers' configurations, in the order the strategy
	 * indexes them, with disjoint filter subjects
	 * @return the builder
	 */
	public static Builder builder(String id, String stream, List<ConsumerConfiguration> consumers) {
		return new Builder(id, stream, consumers);
	}

	/**
	 * @return the worker's id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * @return the full stream name
	 */
	public String stream() {
		return this.stream;
	}

	/**
	 * @return the (first) durable consumer's name
	 */
	public String consumerName() {
		return Objects.requireNonNull(this.consumers.get(0).getDurable());
	}

	/**
	 * @return the durable consumers' names, in the settings' order
	 */
	public List<String> consumerNames() {
		return this.consumers.stream().map((consumer) -> Objects.requireNonNull(consumer.getDurable())).toList();
	}

	/**
	 * @return the (first) consumer's configuration
	 */
	public ConsumerConfiguration consumer() {
		return this.consumers.get(0);
	}

	/**
	 * @return the consumers' configurations, in the settings' order
	 */
	public List<ConsumerConfiguration> consumers() {
		return this.consumers;
	}

	/**
	 * @return how many handlers run at once
	 */
	public int concurrency() {
		return this.concurrency;
	}

	/**
	 * @return the most messages one pull asks for
	 */
	public int batchSize() {
		return this.batchSize;
	}

	/**
	 * How many delivered messages the worker may hold beyond its busy handlers, each kept
	 * alive with in-progress heartbeats until a handler takes it, and released (nak) at
	 * stop.
	 * @return 0 (a pull never asks for more messages than there are idle handlers) or
	 * more
	 */
	public int prefetch() {
		return this.prefetch;
	}

	/**
	 * The most messages the worker holds at once, delivered and waiting or running; as
	 * many again may be finishing (see {@link DeferredCompletionHandler}).
	 * @return concurrency plus prefetch
	 */
	public int inHandLimit() {
		return this.concurrency + this.prefetch;
	}

	/**
	 * @return how long one pull waits for messages
	 */
	public Duration maxWait() {
		return this.maxWait;
	}

	/**
	 * @return how long stopping may wait for running handlers
	 */
	public Duration drainTimeout() {
		return this.drainTimeout;
	}

	/**
	 * @return how often the consumer's status is read
	 */
	public Duration statusInterval() {
		return this.statusInterval;
	}

	/**
	 * @return how long a handler may run with in-progress heartbeats
	 */
	public Duration maxProcessingTime() {
		return this.maxProcessingTime;
	}

	/**
	 * @return the delays between attempts
	 */
	public BackOff retryBackOff() {
		return this.retryBackOff;
	}

	/**
	 * @return which failures go to dead letters at once
	 */
	public Predicate<Throwable> nonRetryable() {
		return this.nonRetryable;
	}

	/**
	 * @return whether the worker acknowledges after the handler returned
	 */
	public boolean autoAck() {
		return this.autoAck;
	}

	/**
	 * @return the full dead-letter subject, or null to drop failed messages (terminated,
	 * logged)
	 */
	public @Nullable String deadLetterSubject() {
		return this.deadLetterSubject;
	}

	/**
	 * @return the stream to create, when missing, for the dead letters, or null
	 */
	public @Nullable StreamConfiguration deadLetterStream() {
		return this.deadLetterStream;
	}

	/**
	 * @return the shortest ack wait of the consumers (30 s where a configuration leaves
	 * it to the server)
	 */
	public Duration ackWait() {
		Duration shortest = null;
		for (ConsumerConfiguration consumer : this.consumers) {
			Duration ackWait = consumer.getAckWait();
			Duration effective = (ackWait != null && ackWait.toMillis() > 0) ? ackWait : Duration.ofSeconds(30);
			shortest = (shortest == null || effective.compareTo(shortest) < 0) ? effective : shortest;
		}
		return Objects.requireNonNull(shortest);
	}

	/**
	 * @return the (first) consumer's max deliveries, or -1 for unlimited
	 */
	public long maxDeliver() {
		return this.consumers.get(0).getMaxDeliver();
	}

	/**
	 * Builds {@link PullWorkerSettings}.
	 */
	public static final class Builder {

		private final String id;

		private final String stream;

		private final List<ConsumerConfiguration> consumers;

		private int concurrency = 1;

		private int batchSize = 10;

		private int prefetch;

		private Duration maxWait = Duration.ofSeconds(5);

		private Duration drainTimeout = Duration.ofSeconds(10);

		private Duration statusInterval = Duration.ofSeconds(5);

		private Duration maxProcessingTime = Duration.ofMinutes(10);

		private BackOff retryBackOff = defaultBackOff();

		private Predicate<Throwable> nonRetryable = (failure) -> false;

		private boolean autoAck = true;

		private @Nullable String deadLetterSubject;

		private @Nullable StreamConfiguration deadLetterStream;

		private Builder(String id, String stream, List<ConsumerConfiguration> consumers) {
			if (consumers.isEmpty()) {
				throw new IllegalArgumentException("Pull worker '" + id + "' needs at least one consumer");
			}
			for (ConsumerConfiguration consumer : consumers) {
				if (consumer.getDurable() == null) {
					throw new IllegalArgumentException("Pull worker '" + id + "' needs durable consumer names");
				}
			}
			this.id = id;
			this.stream = stream;
			this.consumers = List.copyOf(consumers);
		}

		/**
		 * Sets how many handlers run at once (default 1: one at a time, in stream order).
		 * @param concurrency at least 1
		 * @return this builder
		 */
		public Builder concurrency(int concurrency) {
			if (concurrency < 1) {
				throw new IllegalArgumentException(
						"Pull worker '" + this.id + "' concurrency must be at least 1, was " + concurrency);
			}
			this.concurrency = concurrency;
			return this;
		}

		/**
		 * Sets the most messages one pull asks for (default 10); a pull never asks for
		 * more than there are free handlers.
		 * @param batchSize at least 1
		 * @return this builder
		 */
		public Builder batchSize(int batchSize) {
			if (batchSize < 1) {
				throw new IllegalArgumentException(
						"Pull worker '" + this.id + "' batch size must be at least 1, was " + batchSize);
			}
			this.batchSize = batchSize;
			return this;
		}

		/**
		 * How many delivered messages the worker may hold beyond its busy handlers.
		 * @param prefetch 0 or more
		 * @return this builder
		 */
		public Builder prefetch(int prefetch) {
			if (prefetch < 0) {
				throw new IllegalArgumentException(
						"Pull worker '" + this.id + "' prefetch must be 0 or more, was " + prefetch);
			}
			this.prefetch = prefetch;
			return this;
		}

		/**
		 * Sets how long one pull waits for messages (default 5 s, at least 1 s).
		 * @param maxWait the wait
		 * @return this builder
		 */
		public Builder maxWait(Duration maxWait) {
			this.maxWait = (maxWait.toMillis() < 1000) ? Duration.ofSeconds(1) : maxWait;
			return this;
		}

		/**
		 * Sets how long stopping waits for running handlers before it releases their
		 * messages (default 10 s).
		 * @param drainTimeout the timeout
		 * @return this builder
		 */
		public Builder drainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
			return this;
		}

		/**
		 * Sets how often the consumer's status (pending, ack pending, existence) is read
		 * (default 5 s).
		 * @param statusInterval the interval
		 * @return this builder
		 */
		public Builder statusInterval(Duration statusInterval) {
			this.statusInterval = statusInterval;
			return this;
		}

		/**
		 * Sets how long a handler may run while the worker reports its message in
		 * progress (default 10 min). Past it the heartbeats stop, so the server
		 * redelivers the message (and, after the max deliveries, it is dead-lettered) and
		 * the worker reports itself unhealthy: a hung handler never holds a message for
		 * ever.
		 * @param maxProcessingTime the limit
		 * @return this builder
		 */
		public Builder maxProcessingTime(Duration maxProcessingTime) {
			this.maxProcessingTime = maxProcessingTime;
			return this;
		}

		/**
		 * Sets the delays between attempts; a back-off that stops sends the message to
		 * dead letters. Default: exponential from 1 s, doubling, at most 1 min.
		 * @param retryBackOff the back-off
		 * @return this builder
		 */
		public Builder retryBackOff(BackOff retryBackOff) {
			this.retryBackOff = retryBackOff;
			return this;
		}

		/**
		 * Sets which failures skip retries and go to dead letters at once.
		 * @param nonRetryable the test
		 * @return this builder
		 */
		public Builder nonRetryable(Predicate<Throwable> nonRetryable) {
			this.nonRetryable = nonRetryable;
			return this;
		}

		/**
		 * Sets whether the worker acknowledges a message after its handler returned
		 * (default true); false leaves it to the handler (manual mode).
		 * @param autoAck the choice
		 * @return this builder
		 */
		public Builder autoAck(boolean autoAck) {
			this.autoAck = autoAck;
			return this;
		}

		/**
		 * Sets where failed messages go, and the stream to create for them when it is
		 * missing.
		 * @param subject the full dead-letter subject, or null to terminate failed
		 * messages
		 * @param stream the stream to create when missing, or null when one exists
		 * @return this builder
		 */
		public Builder deadLetter(@Nullable String subject, @Nullable StreamConfiguration stream) {
			this.deadLetterSubject = subject;
			this.deadLetterStream = stream;
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 */
		public PullWorkerSettings build() {
			return new PullWorkerSettings(this);
		}

		private static BackOff defaultBackOff() {
			ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
			backOff.setMaxInterval(60_000);
			return backOff;
		}

	}

}
