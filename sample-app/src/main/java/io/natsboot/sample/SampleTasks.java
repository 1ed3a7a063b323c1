package io.natsboot.sample;

import io.natsboot.annotation.TaskHandler;
import io.natsboot.task.NonRetryableTaskException;
import io.natsboot.task.TaskContext;

import org.springframework.stereotype.Component;

/**
 * The sample's {@code @TaskHandler}: builds a monthly report in steps, reporting
 * progress, and returns it as the task's result. Any instance of the sample may run it; a
 * failure is retried with back-off, then kept as a dead letter.
 */
@Component
public class SampleTasks {

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

}
