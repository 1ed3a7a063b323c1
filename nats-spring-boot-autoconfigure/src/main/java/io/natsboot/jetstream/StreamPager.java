package io.natsboot.jetstream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import org.jspecify.annotations.Nullable;

/**
 * Reads a stream backwards a page at a time, newest first, by sequence: what a console
 * lists (dead letters) without reading the whole stream. Removed messages (re-queued,
 * deleted) leave gaps; a page reads at most {@code 20 * limit + 100} sequences, so a
 * stream with long gaps fills its page over several calls.
 */
public final class StreamPager {

	/** The most messages on one page. */
	public static final int MAX_PAGE = 500;

	private StreamPager() {
	}

	/**
	 * Reads one page.
	 * @param <T> what a message becomes
	 * @param management the JetStream API
	 * @param stream the stream's full name
	 * @param beforeSequence start below this sequence, or 0 for the newest
	 * @param limit the most items on the page (1 to {@link #MAX_PAGE})
	 * @param map turns a message into an item, or null to leave it out
	 * @return the page
	 * @throws IOException when the server cannot be asked
	 * @throws JetStreamApiException when the server refuses
	 */
	public static <T> Page<T> read(JetStreamManagement management, String stream, long beforeSequence, int limit,
			Function<MessageInfo, @Nullable T> map) throws IOException, JetStreamApiException {
		if (limit < 1 || limit > MAX_PAGE) {
			throw new IllegalArgumentException(
					"A page of stream '" + stream + "' holds 1 to " + MAX_PAGE + " messages, not " + limit);
		}
		StreamState state = management.getStreamInfo(stream).getStreamState();
		long first = state.getFirstSequence();
		long sequence = (beforeSequence > 0) ? Math.min(beforeSequence - 1, state.getLastSequence())
				: state.getLastSequence();
		List<T> items = new ArrayList<>();
		int maxReads = 20 * limit + 100;
		for (int reads = 0; sequence >= first && sequence > 0 && items.size() < limit
				&& reads < maxReads; sequence--, reads++) {
			MessageInfo message = messageAt(management, stream, sequence);
			T item = (message != null) ? map.apply(message) : null;
			if (item != null) {
				items.add(item);
			}
		}
		Long next = (sequence >= first && sequence > 0) ? sequence + 1 : null;
		return new Page<>(items, next, state.getMsgCount());
	}

	/**
	 * A message by sequence.
	 * @param management the JetStream API
	 * @param stream the stream's full name
	 * @param sequence the sequence
	 * @return the message, or null when there is none at that sequence (removed)
	 * @throws IOException when the server cannot be asked
	 * @throws JetStreamApiException when the server refuses
	 */
	public static @Nullable MessageInfo messageAt(JetStreamManagement management, String stream, long sequence)
			throws IOException, JetStreamApiException {
		try {
			return management.getMessage(stream, sequence);
		}
		catch (JetStreamApiException ex) {
			if (JetStreamErrors.isNoMessage(ex)) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * One page.
	 *
	 * @param <T> the items' type
	 * @param items the items, newest first
	 * @param next the sequence to pass as {@code beforeSequence} for the next (older)
	 * page, or null when this page reached the oldest
	 * @param messages the messages the stream holds
	 */
	public record Page<T>(List<T> items, @Nullable Long next, long messages) {

		public Page {
			items = List.copyOf(items);
		}

	}

}
