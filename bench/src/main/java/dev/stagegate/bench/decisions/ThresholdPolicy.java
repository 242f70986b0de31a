package dev.stagegate.bench.decisions;

/**
 * Stagegate's threshold check as the operator evaluates it: every minute, canary error ratio over 1m <= max and
 * slow ratio over 1m <= 1% (the p99 <= 500 ms objective); rollback after failureLimit 3 consecutive failed
 * evaluations. An evaluation without canary requests is NoData: it neither fails nor resets the streak. The error
 * threshold is tuned like the Flagger variant: 3x the release's known baseline error rate.
 */
final class ThresholdPolicy implements Policy {

    private static final int INTERVAL = 60;
    private static final int FAILURE_LIMIT = 3;
    private static final double MAX_SLOW_FRACTION = 0.01;

    @Override
    public String name() {
        return "Stagegate threshold";
    }

    @Override
    public String settings() {
        return "interval 1m, error ratio over 1m <= 3 x baseline error rate and slow ratio <= 1%, "
                + "failureLimit 3 consecutive, NoData neither fails nor resets";
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        double maxError = 3 * scenario.baseErrorRate();
        int streak = 0;
        for (int t = INTERVAL; t <= trace.durationSeconds(); t += INTERVAL) {
            Trace.Window w = trace.canary(t - INTERVAL, t);
            if (w.requests() == 0) {
                continue;
            }
            boolean ok = w.errorRatio() <= maxError && w.slowRatio() <= MAX_SLOW_FRACTION;
            streak = ok ? 0 : streak + 1;
            if (streak >= FAILURE_LIMIT) {
                return Outcome.rollback(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
