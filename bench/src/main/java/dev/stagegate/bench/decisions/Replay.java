package dev.stagegate.bench.decisions;

import java.util.List;

/**
 * One trace replayed through every policy: what each decided, when, the failed canary requests until then (all, and
 * beyond stable's rates), and the excess failures the whole stage would have produced.
 */
record Replay(Scenario scenario, Policy.Outcome[] outcomes, long[] blastRadius, double[] excessBlastRadius,
        long expectedExcessFailures) {

    static Replay of(Scenario scenario, List<Policy> policies, int stageSeconds) {
        Trace trace = TraceGenerator.generate(scenario, stageSeconds);
        Policy.Outcome[] outcomes = new Policy.Outcome[policies.size()];
        long[] blast = new long[policies.size()];
        double[] excess = new double[policies.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = policies.get(i).run(scenario, trace);
            blast[i] = trace.canaryFailedUntil(outcomes[i].seconds());
            excess[i] = trace.canaryExcessUntil(outcomes[i].seconds());
        }
        return new Replay(scenario, outcomes, blast, excess, Math.round(trace.canaryExcessUntil(stageSeconds)));
    }
}
