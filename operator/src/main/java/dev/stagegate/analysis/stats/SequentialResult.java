package dev.stagegate.analysis.stats;

import java.util.Locale;

/**
 * Outcome of one evaluation of a {@link SequentialErrorCheck}.
 *
 * @param state the state to store (encoded) in the Release status and pass to the next evaluation
 * @param decision sticky decision: ROLLBACK once reached stays ROLLBACK
 * @param update what this evaluation did to the evidence
 * @param log10EvidenceWorse log10 of the e-value against H0 "canary rate &lt;= rho0 x stable rate";
 *     rollback when it reaches {@code log10RollbackThreshold}
 * @param log10RollbackThreshold log10(1/alpha)
 * @param log10EvidenceNoWorse log10 of the e-value against "canary rate &gt;= rho0 x stable rate";
 *     NO_WORSE when it reaches {@code log10NoWorseThreshold}
 * @param log10NoWorseThreshold log10(1/beta)
 * @param relativeRisk (canary errors / canary requests) / (stable errors / stable requests) over the counted
 *     intervals; NaN when undefined, +Infinity when only the canary had errors. Not JSON-safe: format it as text.
 */
public record SequentialResult(
        SequentialState state,
        SequentialDecision decision,
        EvidenceUpdate update,
        double log10EvidenceWorse,
        double log10RollbackThreshold,
        double log10EvidenceNoWorse,
        double log10NoWorseThreshold,
        double relativeRisk) {

    /** One line for the Release status or an event, e.g. "canary 12/1200 errors vs stable 30/10800 ...". */
    public String summary() {
        Counts c = state.canaryCounted();
        Counts s = state.stableCounted();
        return String.format(Locale.ROOT,
                "%s: canary %.0f/%.0f errors vs stable %.0f/%.0f, relative risk %s (H0 <= %.3g); "
                        + "evidence worse 10^%.2f (rollback at 10^%.2f), no-worse 10^%.2f (promote at 10^%.2f); %s",
                decision, c.errors(), c.requests(), s.errors(), s.requests(), formatRisk(relativeRisk),
                state.nullRateRatio(), log10EvidenceWorse, log10RollbackThreshold,
                log10EvidenceNoWorse, log10NoWorseThreshold, update);
    }

    private static String formatRisk(double risk) {
        if (Double.isNaN(risk)) {
            return "n/a";
        }
        return Double.isInfinite(risk) ? "inf" : String.format(Locale.ROOT, "%.3g", risk);
    }
}
