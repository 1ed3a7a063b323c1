package io.natsboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.nats.client.api.StreamConfiguration;
import io.natsboot.config.NatsListenerContainerFactory;
import io.natsboot.config.NatsListenerEndpointRegistry;
import io.natsboot.core.NatsSubjectOverlap;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsSystemSubjects;
import io.natsboot.jetstream.NatsStreamDefinition;
import io.natsboot.listener.JetStreamListenerContainer;
import io.natsboot.listener.NatsListenerContainer;
import io.natsboot.task.TaskQueueSettings;
import io.natsboot.task.TaskWireFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.log.LogAccessor;

/**
 * Warns at start-up, once the listeners are registered, about subjects of the application
 * that overlap the subjects of a stream natsboot owns (the task queue, its dead letters,
 * durable listeners' dead letters): a plain {@code @NatsListener} on {@code >} receives
 * natsboot's tasks, and a {@code NatsStreamDefinition} on them is refused by the server
 * (or keeps natsboot's stream from being created). One warning per subject, naming the
 * streams it overlaps. A durable listener's subject only filters its own stream, so its
 * stream's definition is what is checked.
 */
final class OwnedStreamOverlapCheck implements ApplicationListener<ContextRefreshedEvent> {

	private static final LogAccessor logger = new LogAccessor(OwnedStreamOverlapCheck.class);

	private final NatsSystemSubjects system;

	private final NatsSubjectResolver subjects;

	private final ObjectProvider<TaskQueueSettings> taskQueue;

	private final ObjectProvider<NatsListenerEndpointRegistry> registries;

	private final ObjectProvider<NatsStreamDefinition> definitions;

	/** A child context's refresh reaches this listener too: check once. */
	private final AtomicBoolean checked = new AtomicBoolean();

	OwnedStreamOverlapCheck(NatsSystemSubjects system, NatsSubjectResolver subjects,
			ObjectProvider<TaskQueueSettings> taskQueue, ObjectProvider<NatsListenerEndpointRegistry> registries,
			ObjectProvider<NatsStreamDefinition> definitions) {
		this.system = system;
		this.subjects = subjects;
		this.taskQueue = taskQueue;
		this.registries = registries;
		this.definitions = definitions;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.checked.compareAndSet(false, true)) {
			check();
		}
	}

	void check() {
		List<OwnedStream> owned = ownedStreams();
		this.registries.orderedStream().forEach((registry) -> {
			for (NatsListenerContainer container : registry.getListenerContainers()) {
				if (!(container instanceof JetStreamListenerContainer)) {
					warn("Listener '" + container.getId() + "' subscribes to '" + container.getSubject() + "'",
							container.getSubject(), null, owned,
							"it receives natsboot's own messages; choose another subject");
				}
			}
		});
		this.definitions.orderedStream().forEach((definition) -> {
			StreamConfiguration configuration = definition.configuration();
			String name = this.subjects.forName(configuration.getName());
			for (String subject : streamSubjects(configuration)) {
				warn("Stream definition '" + configuration.getName() + "' stores '" + subject + "'", subject, name,
						owned, "the server refuses streams with overlapping subjects (error 10065), so this one "
								+ "or natsboot's cannot be created; choose other subjects");
			}
		});
	}

	private void warn(String what, String subject, @Nullable String streamName, List<OwnedStream> owned,
			String consequence) {
		List<OwnedStream> overlapping = owned.stream()
			// a definition of natsboot's stream itself (e.g. DEAD_LETTERS with an age
			// limit) takes its subjects on purpose
			.filter((stream) -> !stream.name().equals(streamName))
			.filter((stream) -> NatsSubjectOverlap.overlap(subject, stream.subject()))
			.toList();
		if (overlapping.isEmpty()) {
			return;
		}
		String streams = overlapping.stream()
			.map((stream) -> "'" + stream.subject() + "' of stream '" + stream.name() + "' (" + stream.role() + ")")
			.collect(Collectors.joining(", "));
		logger.warn(() -> what + ", which overlaps " + streams + ", a stream natsboot owns: " + consequence + " ("
				+ prefixNote() + ")");
	}

	private String prefixNote() {
		return this.system.prefix().isEmpty()
				? "nats.system-subject-prefix is empty, so natsboot uses the subjects of earlier snapshots"
				: "natsboot's own subjects start with nats.system-subject-prefix '" + this.system.prefix() + "'";
	}

	private List<String> streamSubjects(StreamConfiguration configuration) {
		List<String> subjects = configuration.getSubjects();
		if (subjects != null && !subjects.isEmpty()) {
			return subjects.stream().map(this.subjects::forSubscribe).toList();
		}
		// a stream without subjects stores its name, unless it mirrors or sources others
		boolean sourced = configuration.getMirror() != null
				|| (configuration.getSources() != null && !configuration.getSources().isEmpty());
		return sourced ? List.of() : List.of(this.subjects.forSubscribe(configuration.getName()));
	}

	private List<OwnedStream> ownedStreams() {
		List<OwnedStream> owned = new ArrayList<>();
		TaskQueueSettings settings = this.taskQueue.getIfUnique();
		if (settings != null) {
			TaskWireFormat format = settings.wireFormat();
			owned.add(new OwnedStream(settings.stream(), this.subjects.forSubscribe(format.streamSubjects()),
					"the task queue"));
			owned.add(new OwnedStream(settings.deadLetterStream(),
					this.subjects.forSubscribe(format.deadLetterStreamSubjects()), "dead tasks"));
		}
		owned.add(new OwnedStream(this.subjects.forName(NatsListenerContainerFactory.DEAD_LETTER_STREAM),
				this.subjects.forSubscribe(NatsListenerContainerFactory.deadLetterStreamSubjects(this.system)),
				"durable listeners' dead letters"));
		return owned;
	}

	private record OwnedStream(String name, String subject, String role) {
	}

}
