package dev.stagegate.bench.decisions;

import java.util.Locale;

/**
 * Argo Rollouts' documented AnalysisTemplate example: success-rate = non-5xx / all requests over 5m, measured every
 * {@code interval: 5m}, {@code successCondition: result[0] >= 0.95}, {@code failureLimit: 3} (the run fails when
 * failed measurements exceed 3, i.e. at the 4th). A NaN result (no requests) fails the condition. The example has no
 * latency metric, so none is checked. Measurements at 5, 10, ... minutes (no measurement on an empty window at 0).
 * Other intervals and failure limits sweep the policy's trade-off curve.
 */
final class ArgoStylePolicy implements Policy {

    private static final double MIN_SUCCESS = 0.95;

    private final String name;
    private final int interval;
    private final int failureLimit;

    /** The documented example: interval 5m, failureLimit 3. */
    ArgoStylePolicy() {
        this("Argo-style (docs)", 300, 3);
    }

    ArgoStylePolicy(String name, int intervalSeconds, int failureLimit) {
        this.name = name;
        this.interval = intervalSeconds;
        this.failureLimit = failureLimit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "interval %ds, success rate over %ds, successCondition result[0] >= 0.95, "
                + "failureLimit %d (fails at failed measurement %d), NaN fails, no latency metric",
                interval, interval, failureLimit, failureLimit + 1);
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        int failed = 0;
        for (int t = interval; t <= trace.durationSeconds(); t += interval) {
            double success = 1 - trace.canary(t - interval, t).errorRatio();
            boolean ok = success >= MIN_SUCCESS; // false for NaN
            if (!ok && ++failed > failureLimit) {
                return Outcome.rollback(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
