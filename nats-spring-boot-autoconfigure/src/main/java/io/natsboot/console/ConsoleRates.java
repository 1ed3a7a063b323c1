package io.natsboot.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import io.natsboot.core.NatsThreads;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The overview's charts: per second rates of a few running totals (messages published and
 * received, tasks processed and failed, dead letters), sampled at a fixed interval and
 * kept for the last {@link #WINDOW}. Each total is read from the application's meters
 * (see {@link MeterTotals}) or, without Micrometer, from the connection's statistics.
 */
public class ConsoleRates implements SmartLifecycle {

	/** How far back the charts go. */
	public static final Duration WINDOW = Duration.ofMinutes(15);

	private final Duration interval;

	private final List<Series> series;

	private final int capacity;

	// guarded by this: one row of rates per sample, the oldest first
	private final long[] timestamps;

	private final double[][] rates;

	private final double[] lastTotals;

	private int size;

	private int next;

	// 0 until the first sample, which only primes the totals
	private long lastSampleAt;

	private volatile @Nullable ScheduledExecutorService sampler;

	/**
	 * Creates the rates.
	 * @param interval how often the totals are sampled
	 * @param series the totals
	 */
	public ConsoleRates(Duration interval, List<Series> series) {
		this.interval = interval;
		this.series = List.copyOf(series);
		this.capacity = (int) Math.max(2, WINDOW.toMillis() / interval.toMillis());
		this.timestamps = new long[this.capacity];
		this.rates = new double[this.series.size()][this.capacity];
		this.lastTotals = new double[this.series.size()];
	}

	/**
	 * Takes one sample: the rate of each total since the previous sample.
	 */
	synchronized void sample() {
		long now = System.currentTimeMillis();
		double[] totals = new double[this.series.size()];
		for (int i = 0; i < totals.length; i++) {
			// a total that cannot be read now (a meter registered concurrently) keeps its
			// last value: a rate of 0 now, not its whole count at the next sample
			totals[i] = safely(this.series.get(i).total(), this.lastTotals[i]);
		}
		if (this.lastSampleAt != 0) {
			// the time that passed, not the interval: a sample may run late
			double seconds = Math.max(0.001, (now - this.lastSampleAt) / 1000.0);
			for (int i = 0; i < totals.length; i++) {
				// a total that fell (a meter removed) is no negative rate
				this.rates[i][this.next] = Math.max(0, totals[i] - this.lastTotals[i]) / seconds;
			}
			this.timestamps[this.next] = now;
			this.next = (this.next + 1) % this.capacity;
			this.size = Math.min(this.size + 1, this.capacity);
		}
		System.arraycopy(totals, 0, this.lastTotals, 0, totals.length);
		this.lastSampleAt = now;
	}

	private static double safely(DoubleSupplier total, double last) {
		try {
			return total.getAsDouble();
		}
		catch (RuntimeException ex) {
			return last;
		}
	}

	/**
	 * The charts' data: the sample times and, per series, the rates, oldest first.
	 * @return {@code intervalSeconds}, {@code timestamps} and {@code series}
	 */
	public synchronized Map<String, Object> describe() {
		List<Long> times = new ArrayList<>(this.size);
		int start = (this.next - this.size + this.capacity) % this.capacity;
		for (int i = 0; i < this.size; i++) {
			times.add(this.timestamps[(start + i) % this.capacity]);
		}
		List<Map<String, Object>> all = new ArrayList<>();
		for (int s = 0; s < this.series.size(); s++) {
			List<Double> values = new ArrayList<>(this.size);
			for (int i = 0; i < this.size; i++) {
				values.add(Math.round(this.rates[s][(start + i) % this.capacity] * 100) / 100.0);
			}
			Map<String, Object> one = new LinkedHashMap<>();
			one.put("name", this.series.get(s).name());
			one.put("label", this.series.get(s).label());
			one.put("values", values);
			all.add(one);
		}
		Map<String, Object> charts = new LinkedHashMap<>();
		charts.put("intervalSeconds", this.interval.toMillis() / 1000.0);
		charts.put("timestamps", times);
		charts.put("series", all);
		return charts;
	}

	@Override
	public synchronized void start() {
		if (this.sampler == null) {
			ScheduledExecutorService executor = Executors
				.newSingleThreadScheduledExecutor(NatsThreads.daemon("natsboot-console-rates"));
			executor.scheduleAtFixedRate(this::sample, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
			this.sampler = executor;
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.sampler;
		this.sampler = null;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.sampler != null;
	}

	/**
	 * A running total to chart as a rate.
	 *
	 * @param name the series' name in the JSON, e.g. {@code published}
	 * @param label what the chart's legend says
	 * @param total reads the total so far
	 */
	public record Series(String name, String label, DoubleSupplier total) {
	}

}
