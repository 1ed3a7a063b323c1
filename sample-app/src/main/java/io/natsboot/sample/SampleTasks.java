package io.natsboot.sample;

import io.natsboot.annotation.TaskHandler;
import io.natsboot.keystore.KeyStoreOperations;
import io.natsboot.task.NonRetryableTaskException;
import io.natsboot.task.TaskContext;

import org.springframework.stereotype.Component;

/**
 * The sample's {@code @TaskHandler}s: one builds a monthly report in steps, reporting
 * progress, and returns it as the task's result; the other sends a receipt to an address
 * it looks up in the key store, and fails while there is none, so that its task becomes a
 * dead letter to re-queue once the address is known. Any instance of the sample may run
 * them; a failure is retried with back-off, then kept as a dead letter.
 */
@Component
public class SampleTasks {

	private final KeyStoreOperations keyStore;

	SampleTasks(KeyStoreOperations keyStore) {
		this.keyStore = keyStore;
	}

	/**
	 * Builds a report.
	 * @param request which month
	 * @param context progress and attempt of this run
	 * @return the report, the task's result
	 * @throws InterruptedException when the sample stops meanwhile
	 */
	@TaskHandler(value = "build_report", maxAttempts = "3")
	Report buildReport(ReportRequest request, TaskContext context) throws InterruptedException {
		if (!request.month().matches("\\d{4}-\\d{2}")) {
			throw new NonRetryableTaskException("month '" + request.month() + "' is not yyyy-MM");
		}
		for (int step = 1; step <= 4; step++) {
			Thread.sleep(100); // a query per step
			context.progress(step * 25, "step " + step + " of 4");
		}
		return new Report(request.month(), 4, "attempt " + context.attempt());
	}

	/**
	 * Sends a receipt to the customer's address.
	 * @param request whose receipt
	 * @return where it went
	 */
	@TaskHandler(value = "send_receipt", maxAttempts = "2")
	String sendReceipt(ReceiptRequest request) {
		String email = this.keyStore.retrieve("email:" + request.customer(), String.class);
		if (email == null) {
			// retrying cannot help until someone stores the address: dead-letter it at
			// once
			throw new NonRetryableTaskException("no email address for customer '" + request.customer() + "'");
		}
		return "receipt sent to " + email;
	}

	/**
	 * What to report on.
	 *
	 * @param month the month, yyyy-MM
	 */
	record ReportRequest(String month) {
	}

	/**
	 * A built report.
	 *
	 * @param month the month
	 * @param sections how many sections it has
	 * @param note how it was built
	 */
	record Report(String month, int sections, String note) {
	}

	/**
	 * A receipt to send.
	 *
	 * @param customer the customer
	 */
	record ReceiptRequest(String customer) {
	}

}
