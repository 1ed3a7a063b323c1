package io.natsboot.console;

import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;

/**
 * The running totals of the console's charts, read from the application's meters:
 * natsboot's counters {@code nats.messages.published}, {@code nats.messages.received} and
 * {@code nats.listener.dead.letters} (durable listeners and task workers), and its task
 * run timers ({@code nats.task.run} of the observations, or the older {@code nats.task}
 * when only that is recorded) by outcome.
 */
public final class MeterTotals {

	private static final Set<String> FAILED = Set.of("retry", "dead");

	private MeterTotals() {
	}

	/**
	 * The console's series from a meter registry.
	 * @param registry the application's meters
	 * @return published, received, tasks processed, tasks failed and dead letters
	 */
	public static List<ConsoleRates.Series> of(MeterRegistry registry) {
		return List.of(
				new ConsoleRates.Series("published", "Messages published/s",
						counters(registry, "nats.messages.published")),
				new ConsoleRates.Series("received", "Messages received/s",
						counters(registry, "nats.messages.received")),
				new ConsoleRates.Series("tasksProcessed", "Tasks processed/s",
						() -> taskRuns(registry, Set.of("success"))),
				new ConsoleRates.Series("tasksFailed", "Task failures/s", () -> taskRuns(registry, FAILED)),
				// durable listeners and task workers both count theirs here
				new ConsoleRates.Series("deadLetters", "Dead letters/s",
						counters(registry, "nats.listener.dead.letters")));
	}

	/**
	 * The message series from the connection's statistics, for applications without
	 * Micrometer (they count every message of the connection, natsboot's own included).
	 * @param connection the connection
	 * @return published and received
	 */
	public static List<ConsoleRates.Series> of(Connection connection) {
		return List.of(
				new ConsoleRates.Series("published", "Messages published/s",
						() -> connection.getStatistics().getOutMsgs()),
				new ConsoleRates.Series("received", "Messages received/s",
						() -> connection.getStatistics().getInMsgs()));
	}

	private static DoubleSupplier counters(MeterRegistry registry, String name) {
		return () -> registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	private static double taskRuns(MeterRegistry registry, Set<String> outcomes) {
		// the observation's timer when there is one, else the older timer: never both,
		// they time the same runs
		var observed = registry.find("nats.task.run").timers();
		if (!observed.isEmpty()) {
			return observed.stream()
				.filter((timer) -> outcomes.contains(timer.getId().getTag("nats.task.outcome")))
				.mapToDouble(Timer::count)
				.sum();
		}
		return registry.find("nats.task")
			.timers()
			.stream()
			.filter((timer) -> outcomes.contains(timer.getId().getTag("outcome")))
			.mapToDouble(Timer::count)
			.sum();
	}

}
