package dev.stagegate.bench.decisions;

/**
 * Argo Rollouts' documented AnalysisTemplate example: success-rate = non-5xx / all requests over 5m, measured every
 * {@code interval: 5m}, {@code successCondition: result[0] >= 0.95}, {@code failureLimit: 3} (the run fails when
 * failed measurements exceed 3, i.e. at the 4th). A NaN result (no requests) fails the condition. The example has no
 * latency metric, so none is checked. Measurements at 5, 10, ... minutes (no measurement on an empty window at 0).
 */
final class ArgoStylePolicy implements Policy {

    private static final int INTERVAL = 300;
    private static final int FAILURE_LIMIT = 3;
    private static final double MIN_SUCCESS = 0.95;

    @Override
    public String name() {
        return "Argo-style (docs)";
    }

    @Override
    public String settings() {
        return "interval 5m, success rate over 5m, successCondition result[0] >= 0.95, failureLimit 3 "
                + "(fails at the 4th failed measurement), NaN fails, no latency metric";
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        int failed = 0;
        for (int t = INTERVAL; t <= trace.durationSeconds(); t += INTERVAL) {
            double success = 1 - trace.canary(t - INTERVAL, t).errorRatio();
            boolean ok = success >= MIN_SUCCESS; // false for NaN
            if (!ok && ++failed > FAILURE_LIMIT) {
                return Outcome.rollback(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
