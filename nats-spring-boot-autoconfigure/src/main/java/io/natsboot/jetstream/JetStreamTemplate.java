package io.natsboot.jetstream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.micrometer.observation.Observation;
import io.natsboot.core.JetStreamMessage;
import io.natsboot.core.JetStreamOperations;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsFailures;
import io.natsboot.core.NatsHeaders;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsMessage;
import io.natsboot.core.NatsMessageConverter;
import io.natsboot.core.NatsNotConnectedException;
import io.natsboot.core.NatsPayloadLimit;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.observation.DefaultNatsTemplateObservationConvention;
import io.natsboot.observation.NatsPublishContext;
import io.natsboot.observation.NatsTemplateObservation;
import io.natsboot.observation.NatsTemplateObservationConvention;
import io.natsboot.observation.ObservationSettings;
import org.jspecify.annotations.Nullable;

/**
 * {@link JetStreamOperations} on a connection, with the namespace and converter of the
 * {@code NatsTemplate} it came from.
 */
public class JetStreamTemplate implements JetStreamOperations {

	private final Connection connection;

	private final NatsMessageConverter converter;

	private final NatsSubjectResolver subjects;

	private final JetStreamOptions options;

	private final NatsExceptionTranslator translator;

	private final ObservationSettings<NatsTemplateObservationConvention> observations;

	/**
	 * Creates the template.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects applies the namespace to subjects and names
	 * @param options the JetStream domain, API prefix and request timeout
	 */
	public JetStreamTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			JetStreamOptions options) {
		this(connection, converter, subjects, options, new NatsExceptionTranslator());
	}

	/**
	 * Creates the template with the translator that explains refused permissions.
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects applies the namespace to subjects and names
	 * @param options the JetStream domain, API prefix and request timeout
	 * @param translator turns calls that got no answer because the server refused a
	 * permission into {@link NatsPermissionException}s
	 */
	public JetStreamTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			JetStreamOptions options, NatsExceptionTranslator translator) {
		this(connection, converter, subjects, options, translator, ObservationSettings.off());
	}

	/**
	 * Creates the template with the translator that explains refused permissions, whose
	 * publishes are observed ({@link NatsTemplateObservation#JETSTREAM_PUBLISH}).
	 * @param connection the connection
	 * @param converter converts payloads
	 * @param subjects applies the namespace to subjects and names
	 * @param options the JetStream domain, API prefix and request timeout
	 * @param translator turns calls that got no answer because the server refused a
	 * permission into {@link NatsPermissionException}s
	 * @param observations the registry and convention of the publish observations
	 */
	public JetStreamTemplate(Connection connection, NatsMessageConverter converter, NatsSubjectResolver subjects,
			JetStreamOptions options, NatsExceptionTranslator translator,
			ObservationSettings<NatsTemplateObservationConvention> observations) {
		this.observations = observations;
		this.translator = translator;
		this.connection = connection;
		this.converter = converter;
		this.subjects = subjects;
		this.options = options;
	}

	@Override
	public StreamInfo createOrUpdateStream(StreamConfiguration configuration) {
		StreamConfiguration resolved = resolve(configuration);
		return call("create or update stream '" + resolved.getName() + "'", api(resolved.getName()), (jsm) -> {
			try {
				return jsm.addStream(resolved);
			}
			catch (JetStreamApiException ex) {
				// stream name already in use with a different configuration
				if (ex.getApiErrorCode() == JetStreamErrors.STREAM_NAME_IN_USE) {
					return jsm.updateStream(resolved);
				}
				NatsJetStreamException tooMany = ReplicaRefusal.explain(this.connection, resolved.getName(),
						resolved.getReplicas(),
						"the stream's replicas (nats.jetstream.replicas for a NatsStreamDefinition "
								+ "that sets none)",
						ex);
				if (tooMany != null) {
					throw tooMany;
				}
				throw ex;
			}
		});
	}

	@Override
	public StreamInfo createStream(StreamConfiguration configuration) {
		StreamConfiguration resolved = resolve(configuration);
		return call("create stream '" + resolved.getName() + "'", api(resolved.getName()),
				(jsm) -> jsm.addStream(resolved));
	}

	@Override
	public StreamInfo updateStream(StreamConfiguration configuration) {
		StreamConfiguration resolved = resolve(configuration);
		return call("update stream '" + resolved.getName() + "'", api(resolved.getName()),
				(jsm) -> jsm.updateStream(resolved));
	}

	@Override
	public StreamInfo streamInfo(String stream) {
		String name = this.subjects.forName(stream);
		return call("read stream '" + name + "'", api(name), (jsm) -> jsm.getStreamInfo(name));
	}

	@Override
	public List<StreamInfo> streams() {
		List<StreamInfo> all = call("list streams", JetStreamManagement::getStreams);
		return all.stream()
			.filter((info) -> this.subjects.stripName(info.getConfiguration().getName()) != null)
			.toList();
	}

	@Override
	public boolean deleteStream(String stream) {
		String name = this.subjects.forName(stream);
		return call("delete stream '" + name + "'", api(name), (jsm) -> jsm.deleteStream(name));
	}

	@Override
	public long purgeStream(String stream) {
		String name = this.subjects.forName(stream);
		return call("purge stream '" + name + "'", api(name), (jsm) -> jsm.purgeStream(name).getPurged());
	}

	@Override
	public ConsumerInfo createOrUpdateConsumer(String stream, ConsumerConfiguration configuration) {
		String name = this.subjects.forName(stream);
		ConsumerConfiguration resolved = resolve(configuration);
		return call("create or update consumer '" + resolved.getName() + "' of stream '" + name + "'", api(name),
				(jsm) -> jsm.addOrUpdateConsumer(name, resolved));
	}

	@Override
	public ConsumerInfo consumerInfo(String stream, String consumer) {
		String name = this.subjects.forName(stream);
		String consumerName = this.subjects.forName(consumer);
		return call("read consumer '" + consumerName + "' of stream '" + name + "'", api(name),
				(jsm) -> jsm.getConsumerInfo(name, consumerName));
	}

	@Override
	public List<ConsumerInfo> consumers(String stream) {
		String name = this.subjects.forName(stream);
		return call("list consumers of stream '" + name + "'", api(name), (jsm) -> jsm.getConsumers(name));
	}

	@Override
	public boolean deleteConsumer(String stream, String consumer) {
		String name = this.subjects.forName(stream);
		String consumerName = this.subjects.forName(consumer);
		return call("delete consumer '" + consumerName + "' of stream '" + name + "'", api(name),
				(jsm) -> jsm.deleteConsumer(name, consumerName));
	}

	@Override
	public PublishAck publish(String subject, Object payload) {
		return publish(subject, payload, null);
	}

	@Override
	public PublishAck publish(String subject, Object payload, @Nullable PublishOptions options) {
		String fullSubject = this.subjects.forPublish(subject);
		NatsMessageConverter.Payload converted = this.converter.write(payload, subject);
		Headers headers = headers(converted);
		NatsPublishContext context = observedPublish(fullSubject, headers, options);
		Observation observation = (context != null) ? startPublish(context) : Observation.NOOP;
		// with the trace context the observation wrote, size included
		Headers sent = (context != null) ? context.getHeaders() : headers;
		try {
			NatsPayloadLimit.checkJetStream(this.connection, () -> "a message to '" + fullSubject + "'", sent,
					converted.data());
			PublishAck ack = call("publish to '" + fullSubject + "'", fullSubject::equals,
					(jsm) -> jetStream().publish(fullSubject, sent, converted.data(), options));
			if (context != null) {
				context.stored(ack.getStream(), ack.getSeqno());
			}
			return ack;
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private @Nullable NatsPublishContext observedPublish(String fullSubject, @Nullable Headers headers,
			@Nullable PublishOptions options) {
		if (!this.observations.isOn()) {
			return null;
		}
		NatsPublishContext context = new NatsPublishContext(NatsTemplateObservation.JETSTREAM_PUBLISH, fullSubject,
				headers);
		if (options != null) {
			context.setMessageId(options.getMessageId());
		}
		return context;
	}

	private Observation startPublish(NatsPublishContext context) {
		return NatsTemplateObservation.JETSTREAM_PUBLISH.start(this.observations.convention(),
				DefaultNatsTemplateObservationConvention.INSTANCE, () -> context, this.observations.registry());
	}

	@Override
	public CompletableFuture<PublishAck> publishAsync(String subject, Object payload,
			@Nullable PublishOptions options) {
		String fullSubject = this.subjects.forPublish(subject);
		NatsMessageConverter.Payload converted = this.converter.write(payload, subject);
		Headers headers = headers(converted);
		long since = this.translator.mark();
		NatsPublishContext context = observedPublish(fullSubject, headers, options);
		Observation observation = (context != null) ? startPublish(context) : Observation.NOOP;
		Headers sent = (context != null) ? context.getHeaders() : headers;
		CompletableFuture<PublishAck> ack;
		try {
			NatsPayloadLimit.checkJetStream(this.connection, () -> "a message to '" + fullSubject + "'", sent,
					converted.data());
			ack = call("publish to '" + fullSubject + "'", fullSubject::equals,
					(jsm) -> jetStream().publishAsync(fullSubject, sent, converted.data(), options));
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		CompletableFuture<PublishAck> translated = ack.exceptionally((failure) -> {
			Throwable cause = NatsFailures.futureCause(failure);
			throw translate(cause, "publish to '" + fullSubject + "'", since, fullSubject::equals);
		});
		if (context == null) {
			return translated;
		}
		CompletableFuture<PublishAck> observed = translated.whenComplete((stored, failure) -> {
			if (stored != null) {
				context.stored(stored.getStream(), stored.getSeqno());
			}
			else {
				observation.error(NatsFailures.futureCause(failure));
			}
			observation.stop();
		});
		// a caller that cancels what it gets must not keep the observation from stopping
		return observed.copy();
	}

	@Override
	public List<JetStreamMessage> pull(String stream, String consumer, int batchSize, Duration maxWait) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
		}
		String name = this.subjects.forName(stream);
		String consumerName = this.subjects.forName(consumer);
		String action = "pull from consumer '" + consumerName + "' of stream '" + name + "'";
		long since = this.translator.mark();
		List<JetStreamMessage> pulled = call(action, api(name), (jsm) -> {
			ConsumerContext context = this.connection.getConsumerContext(name, consumerName, this.options);
			FetchConsumeOptions options = FetchConsumeOptions.builder()
				.maxMessages(batchSize)
				.expiresIn(Math.max(1000, maxWait.toMillis()))
				.build();
			List<JetStreamMessage> messages = new ArrayList<>(batchSize);
			try (FetchConsumer fetch = context.fetch(options)) {
				Message message = fetch.nextMessage();
				while (message != null) {
					messages.add(new JetStreamMessage(NatsMessage.received(message, this.subjects, this.converter),
							message));
					message = fetch.nextMessage();
				}
			}
			return messages;
		});
		if (pulled.isEmpty() && this.translator.hasRefusedPublishes()) {
			// a refused pull request just brings nothing: say so rather than report an
			// empty stream (the server's refusal came long before the pull's wait of at
			// least a second ended)
			List<String> refused = this.translator.publishesRefusedSince(this.connection, since, api(name));
			if (!refused.isEmpty()) {
				throw new NatsPermissionException(
						"Permission denied: cannot " + action + ": the NATS server refused " + "the pull request to '"
								+ refused.get(0) + "'; grant the user publish permission on it",
						refused.get(0), NatsPermissionException.Operation.JETSTREAM_API,
						NatsPermissionException.Denied.PUBLISH, null);
			}
		}
		return pulled;
	}

	private JetStream jetStream() throws IOException {
		return this.connection.jetStream(this.options);
	}

	private StreamConfiguration resolve(StreamConfiguration configuration) {
		StreamConfiguration.Builder builder = StreamConfiguration.builder(configuration)
			.name(this.subjects.forName(configuration.getName()));
		List<String> subjects = configuration.getSubjects();
		if (subjects != null && !subjects.isEmpty()) {
			builder.subjects(subjects.stream().map(this.subjects::forSubscribe).toList());
		}
		else if (!this.subjects.namespace().isEmpty() && configuration.getMirror() == null
				&& (configuration.getSources() == null || configuration.getSources().isEmpty())) {
			// the server would take the prefixed name as the subject, which the template
			// cannot publish to
			builder.subjects(this.subjects.forSubscribe(configuration.getName()));
		}
		return builder.build();
	}

	private ConsumerConfiguration resolve(ConsumerConfiguration configuration) {
		ConsumerConfiguration.Builder builder = ConsumerConfiguration.builder(configuration);
		if (configuration.getDurable() != null) {
			builder.durable(this.subjects.forName(configuration.getDurable()));
		}
		if (configuration.getName() != null) {
			builder.name(this.subjects.forName(configuration.getName()));
		}
		if (configuration.getDeliverSubject() != null) {
			builder.deliverSubject(this.subjects.forSubscribe(configuration.getDeliverSubject()));
		}
		List<String> filters = configuration.getFilterSubjects();
		if (filters != null && filters.size() == 1) {
			builder.filterSubject(this.subjects.forSubscribe(filters.get(0)));
		}
		else if (filters != null && filters.size() > 1) {
			builder.filterSubjects(filters.stream().map(this.subjects::forSubscribe).toList());
		}
		return builder.build();
	}

	private static @Nullable Headers headers(NatsMessageConverter.Payload payload) {
		return (payload.contentType() != null) ? new Headers().put(NatsHeaders.CONTENT_TYPE, payload.contentType())
				: null;
	}

	/**
	 * The JetStream API subjects of calls about a stream: its name is one token of them.
	 */
	private Predicate<String> api(String stream) {
		String prefix = this.options.getPrefix();
		return (subject) -> subject.startsWith(prefix) && NatsExceptionTranslator.hasToken(subject, stream);
	}

	private <T> T call(String action, JetStreamCall<T> call) {
		String prefix = this.options.getPrefix();
		return call(action, (subject) -> subject.startsWith(prefix), call);
	}

	private <T> T call(String action, Predicate<String> subjects, JetStreamCall<T> call) {
		long since = this.translator.mark();
		try {
			return call.apply(this.connection.jetStreamManagement(this.options));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while trying to " + action, ex);
		}
		catch (Exception ex) {
			throw translate(ex, action, since, subjects);
		}
	}

	private RuntimeException translate(Throwable ex, String action, long since, Predicate<String> subjects) {
		if (NatsExceptionTranslator.isNoAnswer(ex)) {
			NatsPermissionException denied = this.translator.explainNoReply(this.connection,
					NatsPermissionException.Operation.JETSTREAM_API, action, since, subjects, ex);
			if (denied != null) {
				return denied;
			}
		}
		return translate(ex, action);
	}

	private static RuntimeException translate(Throwable ex, String action) {
		if (ex instanceof NatsNotConnectedException notConnected) {
			return new NatsNotConnectedException("Cannot " + action + ": " + notConnected.getMessage());
		}
		if (ex instanceof NatsException natsException) {
			return natsException;
		}
		if (ex instanceof JetStreamApiException api) {
			String hint = (api.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) ? " (no such stream)" : "";
			return new NatsJetStreamException("Cannot " + action + ": " + api.getErrorDescription() + " (code "
					+ api.getApiErrorCode() + ")" + hint, api.getApiErrorCode(), api);
		}
		if (ex instanceof JetStreamStatusCheckedException || ex instanceof IOException) {
			return new NatsJetStreamException("Cannot " + action + ": " + ex.getMessage(), 0, ex);
		}
		if (ex instanceof IllegalStateException && String.valueOf(ex.getMessage()).contains("Closed")) {
			return new NatsNotConnectedException("Cannot " + action + ": " + ex.getMessage());
		}
		return new NatsJetStreamException("Cannot " + action + ": " + ex.getMessage(), 0, ex);
	}

	@FunctionalInterface
	private interface JetStreamCall<T> {

		T apply(JetStreamManagement management) throws Exception;

	}

}
