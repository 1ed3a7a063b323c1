package io.natsboot.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How to enqueue a task. Static factories start a chain that the other options continue:
 *
 * <pre class="code">
 * taskQueue.enqueue("send_email", mail,
 *     TaskOptions.priority(HIGH).delay(Duration.ofMinutes(5)).maxAttempts(3).id("order-42-mail"));
 * </pre>
 *
 * Unset options take the defaults: queue {@code default}, priority {@code NORMAL}, no
 * delay, the handler's max attempts, a generated id.
 */
public interface TaskOptions {

	/** The queue tasks go to unless another is named. */
	String DEFAULT_QUEUE = "default";

	/**
	 * Starts options with a priority.
	 * @param priority the priority
	 * @return the options
	 */
	static Builder priority(TaskPriority priority) {
		return new Builder().priority(priority);
	}

	/**
	 * Starts options with a queue.
	 * @param queue the queue name (letters, digits, {@code -}, {@code _})
	 * @return the options
	 */
	static Builder queue(String queue) {
		return new Builder().queue(queue);
	}

	/**
	 * Starts options with a delay.
	 * @param delay how long to wait before the task may run, not negative
	 * @return the options
	 */
	static Builder delay(Duration delay) {
		return new Builder().delay(delay);
	}

	/**
	 * Starts options with an earliest start time.
	 * @param notBefore the earliest time the task may run
	 * @return the options
	 */
	static Builder notBefore(Instant notBefore) {
		return new Builder().notBefore(notBefore);
	}

	/**
	 * Starts options with max attempts.
	 * @param maxAttempts runs allowed in all, at least 1
	 * @return the options
	 */
	static Builder maxAttempts(int maxAttempts) {
		return new Builder().maxAttempts(maxAttempts);
	}

	/**
	 * Starts options with a task id: the same id enqueued again within the duplicate
	 * window ({@code nats.task-queue.duplicate-window}) stores one task.
	 * @param id the id (letters, digits, {@code -}, {@code _}, at most 128)
	 * @return the options
	 */
	static Builder id(String id) {
		return new Builder().id(id);
	}

	/**
	 * Starts options with a header for the task message.
	 * @param name the header name
	 * @param value its value
	 * @return the options
	 */
	static Builder header(String name, String value) {
		return new Builder().header(name, value);
	}

	/**
	 * @return the queue, or null for {@value #DEFAULT_QUEUE}
	 */
	@Nullable String getQueue();

	/**
	 * @return the priority
	 */
	TaskPriority getPriority();

	/**
	 * @return the earliest start, or null to run at once
	 */
	@Nullable Instant getNotBefore();

	/**
	 * @return runs allowed, or 0 for the handler's setting
	 */
	int getMaxAttempts();

	/**
	 * @return the id, or null to generate one
	 */
	@Nullable String getId();

	/**
	 * @return extra headers for the task message
	 */
	Map<String, String> getHeaders();

	/**
	 * The options of a chain started by a static factory of {@link TaskOptions}.
	 */
	final class Builder implements TaskOptions {

		private @Nullable String queue;

		private TaskPriority priority = TaskPriority.NORMAL;

		private @Nullable Instant notBefore;

		private int maxAttempts;

		private @Nullable String id;

		private final Map<String, String> headers = new LinkedHashMap<>();

		Builder() {
		}

		/**
		 * Sets the priority.
		 * @param priority the priority
		 * @return these options
		 */
		public Builder priority(TaskPriority priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * Sets the queue.
		 * @param queue the queue name
		 * @return these options
		 */
		public Builder queue(String queue) {
			this.queue = queue;
			return this;
		}

		/**
		 * Sets a delay from now.
		 * @param delay how long to wait, not negative
		 * @return these options
		 */
		public Builder delay(Duration delay) {
			if (delay.isNegative()) {
				throw new IllegalArgumentException("Task delay " + delay + " is negative");
			}
			this.notBefore = delay.isZero() ? null : Instant.now().plus(delay);
			return this;
		}

		/**
		 * Sets the earliest start time.
		 * @param notBefore the time
		 * @return these options
		 */
		public Builder notBefore(Instant notBefore) {
			this.notBefore = notBefore;
			return this;
		}

		/**
		 * Sets the runs allowed.
		 * @param maxAttempts at least 1
		 * @return these options
		 */
		public Builder maxAttempts(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("Task maxAttempts must be at least 1, was " + maxAttempts);
			}
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * Sets the task id.
		 * @param id the id
		 * @return these options
		 */
		public Builder id(String id) {
			this.id = TaskWireFormat.checkId(id);
			return this;
		}

		/**
		 * Adds a header.
		 * @param name the name
		 * @param value the value
		 * @return these options
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		@Override
		public @Nullable String getQueue() {
			return this.queue;
		}

		@Override
		public TaskPriority getPriority() {
			return this.priority;
		}

		@Override
		public @Nullable Instant getNotBefore() {
			return this.notBefore;
		}

		@Override
		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		@Override
		public @Nullable String getId() {
			return this.id;
		}

		@Override
		public Map<String, String> getHeaders() {
			return Collections.unmodifiableMap(this.headers);
		}

	}

}
