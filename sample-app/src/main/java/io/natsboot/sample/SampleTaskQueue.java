package io.natsboot.sample;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.task.DeadTask;
import io.natsboot.task.TaskOptions;
import io.natsboot.task.TaskPriority;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskReceipt;
import io.natsboot.task.TaskState;
import io.natsboot.task.TaskStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The task queue in the sample: reports enqueued with a priority, an optional delay and
 * an id that makes a second enqueue a duplicate ({@code /reports}), receipts whose tasks
 * fail while the customer has no address ({@code /receipts}, {@code /customers}), each
 * task's status and result ({@code /tasks/{id}}), and the dead letters, listed and
 * re-queued ({@code /tasks/dead}).
 */
@RestController
public class SampleTaskQueue {

	private final TaskQueue tasks;

	private final KeyStoreOperations keyStore;

	SampleTaskQueue(TaskQueue tasks, KeyStoreOperations keyStore) {
		this.tasks = tasks;
		this.keyStore = keyStore;
	}

	@PostMapping("/reports/{month}")
	Enqueued report(@PathVariable String month, @RequestParam(defaultValue = "high") String priority,
			@RequestParam(required = false) @Nullable String delay) {
		TaskOptions.Builder options = TaskOptions.priority(TaskPriority.valueOf(priority.toUpperCase()))
			.id("report-" + month);
		if (delay != null) {
			options.delay(DurationStyle.detectAndParse(delay));
		}
		return Enqueued.of(this.tasks.enqueue("build_report", new SampleTasks.ReportRequest(month), options));
	}

	@PostMapping("/receipts/{customer}")
	Enqueued receipt(@PathVariable String customer) {
		return Enqueued.of(this.tasks.enqueue("send_receipt", new SampleTasks.ReceiptRequest(customer),
				TaskOptions.id("receipt-" + customer)));
	}

	@PutMapping("/customers/{customer}/email")
	EmailStored email(@PathVariable String customer, InputStream body) throws IOException {
		String email = NatsShowcaseController.text(body).trim();
		this.keyStore.store("email:" + customer, email);
		return new EmailStored(customer, email);
	}

	@GetMapping("/tasks/{id}")
	ResponseEntity<TaskView> task(@PathVariable String id) {
		TaskStatus status = this.tasks.status(id);
		if (status == null) {
			return ResponseEntity.notFound().build();
		}
		Object result = (status.state() == TaskState.SUCCEEDED) ? this.tasks.result(id, Object.class) : null;
		return ResponseEntity.ok(new TaskView(status.state(), status.priority(), status.attempts(), status.progress(),
				status.notBefore(), status.lastError(), result));
	}

	@GetMapping("/tasks/dead")
	List<DeadLetter> deadLetters() {
		return this.tasks.deadLetters().stream().map(DeadLetter::of).toList();
	}

	@PostMapping("/tasks/dead/{id}/requeue")
	Enqueued requeue(@PathVariable String id) {
		return Enqueued.of(this.tasks.requeue(id));
	}

	record Enqueued(String id, boolean duplicate) {

		static Enqueued of(TaskReceipt receipt) {
			return new Enqueued(receipt.id(), receipt.duplicate());
		}

	}

	record TaskView(TaskState state, TaskPriority priority, int attempts, int progress, @Nullable Instant notBefore,
			@Nullable String lastError, @Nullable Object result) {
	}

	record DeadLetter(String id, String type, String error, long attempts) {

		static DeadLetter of(DeadTask task) {
			return new DeadLetter(task.id(), task.type(), task.exceptionMessage(), task.attempts());
		}

	}

	record EmailStored(String customer, String email) {
	}

}
