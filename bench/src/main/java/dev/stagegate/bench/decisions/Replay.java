package dev.stagegate.bench.decisions;

import java.util.List;

/**
 * One trace replayed through every policy: what each decided, when, the failed canary requests until then (all, and
 * beyond stable's rates), and the excess failures the whole stage would have produced.
 *
 * <p>A bad canary that a policy promotes keeps failing after promotion, now at full traffic, until someone notices:
 * it is charged {@link #MISSED_CANARY_CHARGE_SECONDS} of its failure rate at full traffic on top. Without that charge
 * a policy that never rolls back would look as good as one that rolls back early.
 */
record Replay(Scenario scenario, Policy.Outcome[] outcomes, long[] blastRadius, long[] blastBeforeDecision,
        double[] excessBlastRadius, long expectedExcessFailures) {

    /** 30 minutes at full traffic after a missed bad canary is promoted. */
    static final int MISSED_CANARY_CHARGE_SECONDS = 1800;

    static Replay of(Scenario scenario, List<Policy> policies, int stageSeconds) {
        Trace trace = TraceGenerator.generate(scenario, stageSeconds);
        Policy.Outcome[] outcomes = new Policy.Outcome[policies.size()];
        long[] blast = new long[policies.size()];
        long[] beforeDecision = new long[policies.size()];
        double[] excess = new double[policies.size()];
        // The stage's failures scaled from the canary's share to all traffic and from the stage to the charged time.
        double fullTrafficScale = (double) MISSED_CANARY_CHARGE_SECONDS / trace.durationSeconds() / scenario.canaryShare();
        long missedFailures = Math.round(trace.canaryFailedUntil(stageSeconds) * fullTrafficScale);
        double missedExcess = trace.canaryExcessUntil(stageSeconds) * fullTrafficScale;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = policies.get(i).run(scenario, trace);
            beforeDecision[i] = trace.canaryFailedUntil(outcomes[i].seconds());
            blast[i] = beforeDecision[i];
            excess[i] = trace.canaryExcessUntil(outcomes[i].seconds());
            if (scenario.bad() && !outcomes[i].rolledBack()) {
                blast[i] += missedFailures;
                excess[i] += missedExcess;
            }
        }
        return new Replay(scenario, outcomes, blast, beforeDecision, excess,
                Math.round(trace.canaryExcessUntil(stageSeconds)));
    }
}
