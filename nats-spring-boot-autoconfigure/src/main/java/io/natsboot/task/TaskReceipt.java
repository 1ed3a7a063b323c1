package io.natsboot.task;

/**
 * What {@link TaskQueue#enqueue} answers once the task is stored.
 *
 * @param id the task's id (given or generated)
 * @param streamSequence its sequence in the task stream
 * @param duplicate true when a task with the same id was enqueued within the duplicate
 * window: nothing new was stored and the task runs once
 */
public record TaskReceipt(String id, long streamSequence, boolean duplicate) {
}
