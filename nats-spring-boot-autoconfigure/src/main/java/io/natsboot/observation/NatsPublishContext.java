package io.natsboot.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The context of a message a template sends: a publish, a request (whose reply becomes
 * the response) or a JetStream publish (whose stream and sequence are known once the
 * server stored it). Its carrier takes the trace context into the message's headers.
 */
public class NatsPublishContext extends RequestReplySenderContext<NatsOutgoingHeaders, Object> {

	private final KeyValueStore low = new KeyValueStore();

	private final KeyValueStore high = new KeyValueStore();

	private final NatsTemplateObservation observation;

	private final String subject;

	private @Nullable String messageId;

	private @Nullable String subjectTemplate;

	private @Nullable KeyValues subjectKeyValues;

	private @Nullable String stream;

	private long streamSequence;

	/**
	 * Creates the context of one message.
	 * @param subject the full subject it goes to
	 * @param headers its headers so far, or null for none
	 * @param observation what is observed: a publish, a request or a JetStream publish
	 */
	public NatsPublishContext(NatsTemplateObservation observation, String subject, @Nullable Headers headers) {
		super(NatsOutgoingHeaders.SETTER,
				(observation == NatsTemplateObservation.REQUEST) ? Kind.CLIENT : Kind.PRODUCER);
		this.observation = observation;
		this.subject = subject;
		setCarrier(new NatsOutgoingHeaders(headers));
	}

	/**
	 * What is observed.
	 * @return a publish, a request or a JetStream publish
	 */
	public NatsTemplateObservation getObservation() {
		return this.observation;
	}

	/**
	 * The full subject the message goes to.
	 * @return the subject
	 */
	public String getSubject() {
		return this.subject;
	}

	/**
	 * The subject's template (see {@link SubjectTemplate}), worked out once.
	 * @return the template
	 */
	public String getSubjectTemplate() {
		String template = this.subjectTemplate;
		if (template == null) {
			template = SubjectTemplate.of(this.subject);
			this.subjectTemplate = template;
		}
		return template;
	}

	/**
	 * The message's subject as its one high-cardinality key value, made once (Micrometer
	 * asks for the keys at start and at stop).
	 * @return the key values
	 */
	KeyValues subjectKeyValues() {
		KeyValues values = this.subjectKeyValues;
		if (values == null) {
			values = KeyValues.of(NatsObservationKeys.SUBJECT.withValue(this.subject));
			this.subjectKeyValues = values;
		}
		return values;
	}

	/**
	 * The headers to send, with the trace context the propagator wrote.
	 * @return the headers, or null for none
	 */
	public @Nullable Headers getHeaders() {
		NatsOutgoingHeaders carrier = getCarrier();
		return (carrier != null) ? carrier.headers() : null;
	}

	/**
	 * The message's {@code Nats-Msg-Id}.
	 * @return the id, or null when it has none
	 */
	public @Nullable String getMessageId() {
		if (this.messageId != null) {
			return this.messageId;
		}
		Headers headers = getHeaders();
		return (headers != null) ? headers.getFirst("Nats-Msg-Id") : null;
	}

	/**
	 * Sets the message id a JetStream publish gives in its options rather than its
	 * headers.
	 * @param messageId the id, or null for none
	 */
	public void setMessageId(@Nullable String messageId) {
		this.messageId = messageId;
	}

	/**
	 * The stream that stored a JetStream publish.
	 * @return the stream, or null before its acknowledgement (and for core publishes)
	 */
	public @Nullable String getStream() {
		return this.stream;
	}

	/**
	 * The sequence the stream gave a JetStream publish.
	 * @return the sequence, or 0 before its acknowledgement
	 */
	public long getStreamSequence() {
		return this.streamSequence;
	}

	/**
	 * Records where a JetStream publish was stored.
	 * @param stream the stream
	 * @param sequence its sequence there
	 */
	public void stored(String stream, long sequence) {
		this.stream = stream;
		this.streamSequence = sequence;
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
