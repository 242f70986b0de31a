package dev.stagegate.analysis.stats;

import java.util.Objects;

/**
 * Anytime-valid comparison of the canary's error rate with the stable revision's, evaluated every interval on
 * cumulative counts. See docs/analysis.md for the derivation.
 *
 * <p>H0: in every interval, canary error rate &lt;= rho0 x stable error rate, rho0 = 1 + maxRelativeIncrease.
 * Given the errors of an interval in both revisions, each error is the canary's with probability
 * p0 = rho0 n_c / (rho0 n_c + n_s) at the H0 boundary (Poisson counts). The check multiplies, over intervals, the
 * likelihood ratios of "odds multiplied by theta" against p0 and averages over a grid of theta &gt; 1. That product is
 * a test supermartingale under H0, so by Ville's inequality rolling back when it reaches 1/alpha falsely rolls
 * back with probability at most alpha, however often it is evaluated. The mirror image (theta &lt; 1, threshold
 * 1/beta) gives evidence that the canary is no worse than allowed.
 *
 * <p>Pure and stateless: all state lives in {@link SequentialState}.
 */
public final class SequentialErrorCheck {

    private static final double LN10 = Math.log(10);

    private final SequentialConfig config;

    public SequentialErrorCheck(SequentialConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public SequentialConfig config() {
        return config;
    }

    public SequentialState initialState() {
        return SequentialState.initial(config.nullRateRatio());
    }

    /**
     * Folds one evaluation into the evidence.
     *
     * @param previous state from the previous evaluation, or null at the start of the stage
     * @param canaryCumulative canary counter readings now (NaN when the query returned nothing)
     * @param stableCumulative stable counter readings now
     */
    public SequentialResult update(SequentialState previous, Counts canaryCumulative, Counts stableCumulative) {
        SequentialState state = previous == null ? initialState() : previous;
        if (canaryCumulative == null || stableCumulative == null
                || !canaryCumulative.isUsable() || !stableCumulative.isUsable()) {
            return result(state, EvidenceUpdate.NO_DATA);
        }
        if (Double.compare(state.nullRateRatio(), config.nullRateRatio()) != 0) {
            // Old log ratios were computed against another boundary and cannot be converted: start over from here.
            SequentialState restarted = withBaseline(initialState(), canaryCumulative, stableCumulative, 0);
            return result(restarted, EvidenceUpdate.PARAMETERS_CHANGED);
        }
        if (!state.hasBaseline()) {
            return result(withBaseline(state, canaryCumulative, stableCumulative, 0), EvidenceUpdate.BASELINE_RECORDED);
        }
        Counts canary = canaryCumulative.minus(state.lastCanary());
        Counts stable = stableCumulative.minus(state.lastStable());
        if (canary.hasNegative() || stable.hasNegative()) {
            // A counter went down: some pod restarted. The true increment is unknown, so the interval is dropped
            // rather than guessed; counting continues from the new readings.
            return result(withBaseline(state, canaryCumulative, stableCumulative, 1), EvidenceUpdate.COUNTER_RESET);
        }
        if (canary.requests() <= 0 || stable.requests() <= 0) {
            return result(withBaseline(state, canaryCumulative, stableCumulative, 0), EvidenceUpdate.NO_COMPARABLE_TRAFFIC);
        }

        double totalErrors = canary.errors() + stable.errors();
        double[] worse = state.logRatiosWorse();
        double[] noWorse = state.logRatiosNoWorse();
        EvidenceUpdate update = EvidenceUpdate.NO_NEW_ERRORS;
        if (totalErrors > 0) {
            double rho0 = config.nullRateRatio();
            double boundaryShare = rho0 * canary.requests() / (rho0 * canary.requests() + stable.requests());
            OddsMixture.WORSE.accumulate(worse, canary.errors(), totalErrors, boundaryShare);
            OddsMixture.NO_WORSE.accumulate(noWorse, canary.errors(), totalErrors, boundaryShare);
            update = EvidenceUpdate.EVIDENCE_ADDED;
        }
        SequentialDecision decision = decide(state.decision(), OddsMixture.WORSE.logEvidence(worse),
                OddsMixture.NO_WORSE.logEvidence(noWorse));
        SequentialState next = new SequentialState(state.nullRateRatio(), canaryCumulative, stableCumulative,
                state.canaryCounted().plus(canary), state.stableCounted().plus(stable), worse, noWorse, decision,
                state.intervals() + (totalErrors > 0 ? 1 : 0), state.counterResets());
        return result(next, update);
    }

    private SequentialDecision decide(SequentialDecision before, double logWorse, double logNoWorse) {
        if (before == SequentialDecision.ROLLBACK || logWorse >= config.logRollbackThreshold()) {
            return SequentialDecision.ROLLBACK;
        }
        if (before == SequentialDecision.NO_WORSE || logNoWorse >= config.logNoWorseThreshold()) {
            return SequentialDecision.NO_WORSE;
        }
        return SequentialDecision.CONTINUE;
    }

    private static SequentialState withBaseline(SequentialState state, Counts canary, Counts stable, int resets) {
        return new SequentialState(state.nullRateRatio(), canary, stable, state.canaryCounted(), state.stableCounted(),
                state.logRatiosWorse(), state.logRatiosNoWorse(), state.decision(), state.intervals(),
                state.counterResets() + resets);
    }

    private SequentialResult result(SequentialState state, EvidenceUpdate update) {
        double[] worse = state.logRatiosWorse();
        double[] noWorse = state.logRatiosNoWorse();
        return new SequentialResult(state, state.decision(), update,
                OddsMixture.WORSE.logEvidence(worse) / LN10, config.logRollbackThreshold() / LN10,
                OddsMixture.NO_WORSE.logEvidence(noWorse) / LN10, config.logNoWorseThreshold() / LN10,
                relativeRisk(state.canaryCounted(), state.stableCounted()));
    }

    static double relativeRisk(Counts canary, Counts stable) {
        if (canary.requests() <= 0 || stable.requests() <= 0) {
            return Double.NaN;
        }
        double canaryRate = canary.errors() / canary.requests();
        double stableRate = stable.errors() / stable.requests();
        if (stableRate == 0) {
            return canaryRate == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return canaryRate / stableRate;
    }
}
