package dev.stagegate.bench.decisions;

import dev.stagegate.analysis.stats.BaselineComparison;
import dev.stagegate.analysis.stats.BaselineComparison.Verdict;

/**
 * Stagegate's baseline comparison, with the operator's {@link BaselineComparison}: every minute, the canary's error
 * ratio and slow ratio over the last 5 minutes against the stable revision's over the same window, with
 * {@code maxIncrease} (the example: 0.5) and optionally a {@code maxDelta} floor; rollback after
 * failureLimit 3 consecutive failed evaluations; NoData neither fails nor resets the streak.
 */
final class BaselinePolicy implements Policy {

    private static final int INTERVAL = 60;
    private static final int WINDOW = 300;
    private static final int FAILURE_LIMIT = 3;

    private final BaselineComparison comparison;

    BaselinePolicy(double maxIncrease, Double maxDelta) {
        this.comparison = new BaselineComparison(maxIncrease, maxDelta, BaselineComparison.Direction.HIGHER_IS_WORSE);
    }

    @Override
    public String name() {
        return comparison.maxDelta() == null ? "Stagegate baseline" : "Stagegate baseline+delta";
    }

    @Override
    public String settings() {
        return "interval 1m, error ratio and slow ratio over 5m vs stable, maxIncrease " + comparison.maxIncrease()
                + (comparison.maxDelta() == null ? "" : ", maxDelta " + comparison.maxDelta())
                + ", failureLimit 3 consecutive, NoData neither fails nor resets";
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        int streak = 0;
        for (int t = INTERVAL; t <= trace.durationSeconds(); t += INTERVAL) {
            Trace.Window c = trace.canary(t - WINDOW, t);
            Trace.Window s = trace.stable(t - WINDOW, t);
            Verdict errors = comparison.compare(c.errorRatio(), s.errorRatio()).verdict();
            Verdict slow = comparison.compare(c.slowRatio(), s.slowRatio()).verdict();
            if (errors == Verdict.FAIL || slow == Verdict.FAIL) {
                streak++;
            } else if (errors == Verdict.PASS && slow == Verdict.PASS) {
                streak = 0;
            }
            if (streak >= FAILURE_LIMIT) {
                return Outcome.rollback(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
