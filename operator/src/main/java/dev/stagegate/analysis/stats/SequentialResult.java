package dev.stagegate.analysis.stats;

import java.util.Locale;

/**
 * Outcome of one evaluation of a {@link SequentialErrorCheck}.
 *
 * @param state the state to store (encoded) in the Release status and pass to the next evaluation
 * @param decision sticky decision: ROLLBACK once reached stays ROLLBACK
 * @param update what this evaluation did to the evidence
 * @param outcome what the stage may do with it: only NO_WORSE is a pass, CONTINUE/INCONCLUSIVE/NO_DATA never are
 * @param log10EvidenceWorse log10 of the e-value against H0 "canary rate &lt;= rho0 x stable rate" (averaged over
 *     signals); rollback when it reaches {@code log10RollbackThreshold}
 * @param log10RollbackThreshold log10(1/alpha)
 * @param log10EvidenceNoWorse log10 of the e-value against "canary rate &gt;= rho0 x stable rate" (the smallest over
 *     signals); NO_WORSE when it reaches {@code log10NoWorseThreshold}
 * @param log10NoWorseThreshold log10(1/beta)
 * @param relativeRisk (canary errors / canary requests) / (stable errors / stable requests) over the counted
 *     intervals; NaN when undefined, +Infinity when only the canary had errors. Not JSON-safe: format it as text.
 * @param detectableRelativeRisk smallest canary/stable rate ratio the counted errors would have detected on average;
 *     +Infinity while too few errors were counted
 */
public record SequentialResult(
        SequentialState state,
        SequentialDecision decision,
        EvidenceUpdate update,
        EvidenceOutcome outcome,
        double log10EvidenceWorse,
        double log10RollbackThreshold,
        double log10EvidenceNoWorse,
        double log10NoWorseThreshold,
        double relativeRisk,
        double detectableRelativeRisk) {

    /** One line for the Release status or an event, e.g. "CONTINUE: canary 12/1200 errors vs stable 30/10800 ...". */
    public String summary() {
        return summary("errors");
    }

    /** As {@link #summary()}, naming the first signal's bad events, e.g. "slower than 0.5s" for a latency check. */
    public String summary(String badEvents) {
        Counts c = state.canaryCounted();
        Counts s = state.stableCounted();
        return String.format(Locale.ROOT,
                "%s: canary %.0f/%.0f %s vs stable %.0f/%.0f, relative risk %s (H0 <= %.3g); "
                        + "evidence worse 10^%.2f (rollback at 10^%.2f), no-worse 10^%.2f (promote at 10^%.2f); "
                        + "detectable so far: %s; %s",
                outcome, c.errors(), c.requests(), badEvents, s.errors(), s.requests(), formatRisk(relativeRisk),
                state.nullRateRatio(), log10EvidenceWorse, log10RollbackThreshold,
                log10EvidenceNoWorse, log10NoWorseThreshold, detectable(), update);
    }

    /** The smallest regression the stage could have detected so far, as text for the status. */
    public String detectable() {
        return Double.isInfinite(detectableRelativeRisk)
                ? "none yet (too few errors)"
                : String.format(Locale.ROOT, "canary >= %.3gx stable's rate", detectableRelativeRisk);
    }

    private static String formatRisk(double risk) {
        if (Double.isNaN(risk)) {
            return "n/a";
        }
        return Double.isInfinite(risk) ? "inf" : String.format(Locale.ROOT, "%.3g", risk);
    }
}
