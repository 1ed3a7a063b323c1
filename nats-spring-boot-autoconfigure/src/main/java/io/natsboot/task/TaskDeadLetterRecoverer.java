package io.natsboot.task;

import io.nats.client.Connection;
import io.nats.client.JetStreamOptions;
import io.natsboot.jetstream.DeadLetter;
import io.natsboot.jetstream.DeadLetterPublishingRecoverer;
import io.natsboot.jetstream.FailoverRetry;

/**
 * Dead-letters tasks each on a subject of its own: the queue's dead-letter subject the
 * caller names plus the task id ({@code [ns.]natsboot.tasks-dead.<queue>.<id>}, see
 * {@link TaskWireFormat#deadLetterId}). Every path that gives up on a task comes here,
 * the dispatcher as well as the pull worker's own failure handling and its max-deliveries
 * backstop, so {@link NatsTaskQueue#deadLetter(String)} finds each with one read by
 * subject.
 */
final class TaskDeadLetterRecoverer extends DeadLetterPublishingRecoverer {

	TaskDeadLetterRecoverer(Connection connection, JetStreamOptions options, FailoverRetry retry) {
		super(connection, options, retry);
	}

	@Override
	protected String subjectFor(DeadLetter letter, String queueSubject) {
		String id = (letter.headers() != null) ? letter.headers().getFirst(TaskWireFormat.ID_HEADER) : null;
		return queueSubject + "." + TaskWireFormat.deadLetterId(id, letter.sequence());
	}

}
