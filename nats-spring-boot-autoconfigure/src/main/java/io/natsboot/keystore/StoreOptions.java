package io.natsboot.keystore;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How to store a value. Static factories start a chain that the other options continue:
 *
 * <pre class="code">
 * keyStore.store("session:42", session, StoreOptions.ttl(Duration.ofMinutes(30)).tags("web", "v2"));
 * </pre>
 *
 * Unset options take the defaults: {@code nats.keystore.default-ttl} (none unless set),
 * {@code nats.keystore.format} (JSON unless set), no tags.
 */
public interface StoreOptions {

	/** Options that take every default. */
	StoreOptions DEFAULTS = new Builder();

	/**
	 * Starts options with a time to live.
	 * @param ttl how long the key lives, positive
	 * @return the options
	 */
	static Builder ttl(Duration ttl) {
		return new Builder().ttl(ttl);
	}

	/**
	 * Starts options with tags.
	 * @param tags the tags: printable ASCII, not blank, no {@code ,}
	 * @return the options
	 */
	static Builder tags(String... tags) {
		return new Builder().tags(tags);
	}

	/**
	 * Starts options with a format.
	 * @param format the format
	 * @return the options
	 */
	static Builder format(KeyFormat format) {
		return new Builder().format(format);
	}

	/**
	 * The time to live.
	 * @return the TTL, or null for the default
	 */
	@Nullable Duration getTtl();

	/**
	 * The tags.
	 * @return the tags, possibly empty
	 */
	List<String> getTags();

	/**
	 * The format.
	 * @return the format, or null for the default
	 */
	@Nullable KeyFormat getFormat();

	/**
	 * Whether the key should live for ever even when {@code nats.keystore.default-ttl} is
	 * set.
	 * @return true to ignore the default TTL
	 */
	boolean isPersistent();

	/**
	 * Mutable {@link StoreOptions}, built by chaining.
	 */
	final class Builder implements StoreOptions {

		private @Nullable Duration ttl;

		private final Set<String> tags = new LinkedHashSet<>();

		private @Nullable KeyFormat format;

		private boolean persistent;

		Builder() {
		}

		/**
		 * Sets the time to live.
		 * @param ttl how long the key lives, positive
		 * @return these options
		 */
		public Builder ttl(Duration ttl) {
			Assert.notNull(ttl, "TTL must not be null");
			if (ttl.isZero() || ttl.isNegative()) {
				throw new IllegalArgumentException("TTL must be positive, not " + ttl);
			}
			this.ttl = ttl;
			this.persistent = false;
			return this;
		}

		/**
		 * Keeps the key for ever, even when {@code nats.keystore.default-ttl} is set.
		 * @return these options
		 */
		public Builder persistent() {
			this.ttl = null;
			this.persistent = true;
			return this;
		}

		/**
		 * Adds tags.
		 * @param tags the tags: printable ASCII, not blank, no {@code ,}
		 * @return these options
		 */
		public Builder tags(String... tags) {
			Assert.notNull(tags, "Tags must not be null");
			for (String tag : tags) {
				if (tag == null || tag.isBlank() || tag.indexOf(',') >= 0
						|| tag.chars().anyMatch((c) -> c < 0x20 || c > 0x7E)) {
					// tags travel in NATS headers, which hold printable ASCII only
					throw new IllegalArgumentException(
							"Tag '" + tag + "' is not allowed: use printable ASCII without ','");
				}
				this.tags.add(tag);
			}
			return this;
		}

		/**
		 * Sets the format.
		 * @param format the format
		 * @return these options
		 */
		public Builder format(KeyFormat format) {
			Assert.notNull(format, "Format must not be null");
			this.format = format;
			return this;
		}

		@Override
		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		@Override
		public List<String> getTags() {
			return List.copyOf(this.tags);
		}

		@Override
		public @Nullable KeyFormat getFormat() {
			return this.format;
		}

		@Override
		public boolean isPersistent() {
			return this.persistent;
		}

	}

}
