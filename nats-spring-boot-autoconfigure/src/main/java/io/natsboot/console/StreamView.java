package io.natsboot.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.DeadLetterRepublisher;
import io.natsboot.jetstream.JetStreamDescriptions;
import io.natsboot.jetstream.JetStreamErrors;
import io.natsboot.jetstream.StreamPager;
import org.jspecify.annotations.Nullable;

/**
 * The streams of the application's namespace, natsboot's and its own, with their
 * consumers; the dead letters of durable listeners, page by page, and their re-publish.
 */
public class StreamView {

	private final NatsTemplate nats;

	private final Set<String> natsbootStreams;

	private final String deadLetterStream;

	private final DeadLetterRepublisher republisher;

	/**
	 * Creates the view.
	 * @param nats the template
	 * @param natsbootStreams the full names of natsboot's own streams
	 * @param deadLetterStream the full name of the durable listeners' dead-letter stream
	 */
	public StreamView(NatsTemplate nats, Set<String> natsbootStreams, String deadLetterStream) {
		this.nats = nats;
		this.natsbootStreams = Set.copyOf(natsbootStreams);
		this.deadLetterStream = deadLetterStream;
		this.republisher = new DeadLetterRepublisher(nats.getConnection(), nats.getJetStreamOptions());
	}

	/**
	 * The streams with their consumers.
	 * @return {@code streams}
	 */
	public Map<String, Object> describe() {
		return Map.of("streams",
				ConsoleSections.section(() -> this.nats.jetStream().streams().stream().map(this::describe).toList()));
	}

	private Map<String, Object> describe(StreamInfo stream) {
		String name = stream.getConfiguration().getName();
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("name", name);
		description.put("subjects", stream.getConfiguration().getSubjects());
		description.put("owner", this.natsbootStreams.contains(name) ? "natsboot" : "application");
		description.put("messages", stream.getStreamState().getMsgCount());
		description.put("bytes", stream.getStreamState().getByteCount());
		description.put("consumerCount", stream.getStreamState().getConsumerCount());
		description.put("firstSequence", stream.getStreamState().getFirstSequence());
		description.put("lastSequence", stream.getStreamState().getLastSequence());
		description.put("consumers",
				ConsoleSections.section(() -> this.nats.withoutNamespace()
					.jetStream()
					.consumers(name)
					.stream()
					.map(JetStreamDescriptions::consumer)
					.toList()));
		return description;
	}

	/**
	 * A page of the durable listeners' dead letters, newest first.
	 * @param before start below this sequence, or 0 for the newest
	 * @param size the page size
	 * @return {@code stream}, {@code letters}, {@code next} and {@code total}
	 */
	public Map<String, Object> deadLetters(long before, int size) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("stream", this.deadLetterStream);
		try {
			JetStreamManagement management = this.nats.getConnection()
				.jetStreamManagement(this.nats.getJetStreamOptions());
			if (!exists(management)) {
				view.put("letters", List.of());
				view.put("next", null);
				view.put("total", 0);
				return view;
			}
			StreamPager.Page<Map<String, Object>> page = StreamPager.read(management, this.deadLetterStream, before,
					size, StreamView::letter);
			view.put("letters", page.items());
			view.put("next", page.next());
			view.put("total", page.messages());
			return view;
		}
		catch (IllegalArgumentException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new NatsException(
					"Cannot read the dead letters of '" + this.deadLetterStream + "': " + ex.getMessage(), ex);
		}
	}

	private boolean exists(JetStreamManagement management) throws Exception {
		// no durable listener has failed yet: the stream is made with the first dead
		// letter (asked by name: listing streams shows every stream of the account)
		try {
			management.getStreamInfo(this.deadLetterStream);
			return true;
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
				return false;
			}
			throw ex;
		}
	}

	private static Map<String, Object> letter(MessageInfo message) {
		Headers headers = message.getHeaders();
		Map<String, Object> letter = new LinkedHashMap<>();
		letter.put("sequence", message.getSeq());
		letter.put("subject", message.getSubject());
		letter.put("originalSubject", header(headers, DeadLetterPublishingRecoverer.SUBJECT_HEADER));
		letter.put("stream", header(headers, DeadLetterPublishingRecoverer.STREAM_HEADER));
		letter.put("consumer", header(headers, DeadLetterPublishingRecoverer.CONSUMER_HEADER));
		String attempts = header(headers, DeadLetterPublishingRecoverer.ATTEMPTS_HEADER);
		letter.put("attempts", (attempts != null && attempts.matches("\\d{1,9}")) ? Integer.parseInt(attempts) : null);
		letter.put("exceptionClass", header(headers, DeadLetterPublishingRecoverer.EXCEPTION_HEADER));
		letter.put("exceptionMessage", header(headers, DeadLetterPublishingRecoverer.MESSAGE_HEADER));
		letter.put("failedAt", header(headers, DeadLetterPublishingRecoverer.FAILED_AT_HEADER));
		byte[] data = (message.getData() != null) ? message.getData() : new byte[0];
		letter.put("payloadPreview", Previews.of(data));
		letter.put("payloadBytes", data.length);
		return letter;
	}

	private static @Nullable String header(@Nullable Headers headers, String name) {
		return (headers != null) ? headers.getFirst(name) : null;
	}

	/**
	 * Re-publishes a dead letter to the subject it failed on.
	 * @param sequence its sequence in the dead-letter stream
	 * @return {@code sequence}, {@code subject}, {@code stream} and {@code published}
	 */
	public Map<String, Object> republish(long sequence) {
		DeadLetterRepublisher.Republished done = this.republisher.republish(this.deadLetterStream, sequence);
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("sequence", done.deadLetterSequence());
		answer.put("subject", done.subject());
		answer.put("stream", done.stream());
		answer.put("published", done.sequence());
		return answer;
	}

}
