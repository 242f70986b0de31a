package dev.stagegate.bench.decisions;

import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialDecision;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import java.util.Locale;

/**
 * Stagegate's sequential checks, with the operator's {@link SequentialErrorCheck}, on cumulative counters read every
 * {@code interval}: one on 5xx errors and (optionally) one on requests slower than 500 ms, each with
 * maxRelativeIncrease 0.2. Rollback when either says ROLLBACK; early promotion when every check says NO_WORSE.
 */
final class SequentialPolicy implements Policy {

    private final String name;
    private final int interval;
    private final boolean latencyCheck;
    private final SequentialConfig config;

    SequentialPolicy(String name, int intervalSeconds, boolean latencyCheck, double alphaPerCheck) {
        this.name = name;
        this.interval = intervalSeconds;
        this.latencyCheck = latencyCheck;
        this.config = new SequentialConfig(0.2, alphaPerCheck, 0.05);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "interval %ds, %s, maxRelativeIncrease %.2f, falseRollbackRate %.3g per check, "
                + "falsePromotionRate %.2f per check; promote early when all checks are NO_WORSE", interval,
                latencyCheck ? "errors and slow-request checks" : "errors check only", config.maxRelativeIncrease(),
                config.falseRollbackRate(), config.falsePromotionRate());
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        SequentialErrorCheck check = new SequentialErrorCheck(config);
        SequentialResult errors = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        SequentialResult slow = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        for (int t = interval; t <= trace.durationSeconds(); t += interval) {
            int tick = t / Trace.TICK_SECONDS;
            errors = check.update(errors.state(), Counts.of(trace.canaryRequests[tick], trace.canaryErrors[tick]),
                    Counts.of(trace.stableRequests[tick], trace.stableErrors[tick]));
            if (latencyCheck) {
                slow = check.update(slow.state(), Counts.of(trace.canaryRequests[tick], trace.canarySlow[tick]),
                        Counts.of(trace.stableRequests[tick], trace.stableSlow[tick]));
            }
            if (errors.decision() == SequentialDecision.ROLLBACK || slow.decision() == SequentialDecision.ROLLBACK) {
                return Outcome.rollback(t);
            }
            if (errors.decision() == SequentialDecision.NO_WORSE
                    && (!latencyCheck || slow.decision() == SequentialDecision.NO_WORSE)) {
                return Outcome.promote(t);
            }
        }
        return Outcome.promote(trace.durationSeconds());
    }
}
