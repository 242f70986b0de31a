package dev.stagegate.bench.decisions;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Flagger's canary analysis with the builtin metrics as in its docs: every {@code interval: 1m}, request-success-rate
 * over 1m must be >= {@code thresholdRange.min} (99 by default) and request-duration P99 over 1m <= 500 ms; a failed
 * or empty ("no values found") check increments the failed-checks counter, and the canary is rolled back when it
 * reaches {@code threshold: 5}. P99 <= 500 ms is evaluated exactly as "at most 1% of the window's requests slower
 * than 500 ms". Traffic stepping (stepWeight/maxWeight) is not modelled: every policy sees the same fixed share.
 */
final class FlaggerStylePolicy implements Policy {

    private static final double MAX_SLOW_FRACTION = 0.01;

    private final String name;
    private final String minSuccessDescription;
    private final ToDoubleFunction<Scenario> minSuccessPercent;
    private final int interval;
    private final int threshold;

    private FlaggerStylePolicy(String name, String minSuccessDescription, ToDoubleFunction<Scenario> minSuccessPercent,
            int interval, int threshold) {
        this.name = name;
        this.minSuccessDescription = minSuccessDescription;
        this.minSuccessPercent = minSuccessPercent;
        this.interval = interval;
        this.threshold = threshold;
    }

    static FlaggerStylePolicy docsDefaults() {
        return new FlaggerStylePolicy("Flagger-style (docs)", "min 99", s -> 99, 60, 5);
    }

    /** Success-rate threshold set to allow 3x the release's known baseline error rate. */
    static FlaggerStylePolicy tunedToThreeTimesBaseline() {
        return sweep("Flagger-style (3x base)", 60, 5);
    }

    /** The tuned threshold at another interval and failed-check threshold: one point of its trade-off curve. */
    static FlaggerStylePolicy sweep(String name, int intervalSeconds, int threshold) {
        return new FlaggerStylePolicy(name, "min 100 x (1 - 3 x baseline error rate)",
                s -> 100 * (1 - 3 * s.baseErrorRate()), intervalSeconds, threshold);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "interval %ds, threshold %d failed checks (cumulative), "
                + "request-success-rate over %ds thresholdRange %s, request-duration P99 over %ds max 500 ms, "
                + "no data counts as a failed check", interval, threshold, interval, minSuccessDescription, interval);
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        double minSuccess = minSuccessPercent.applyAsDouble(scenario);
        int failed = 0;
        for (int t = interval; t <= trace.durationSeconds(); t += interval) {
            Trace.Window w = trace.canary(t - interval, t);
            boolean ok = w.requests() > 0
                    && 100 * (1 - w.errorRatio()) >= minSuccess
                    && w.slowRatio() <= MAX_SLOW_FRACTION;
            if (!ok && ++failed >= threshold) {
                return Outcome.rollback(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
