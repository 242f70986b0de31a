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
 * <p>Several signals (errors, requests slower than chosen histogram buckets) are judged by one e-value: the average
 * of the signals' e-values, itself an e-value, so alpha holds for all of them together. NO_WORSE needs every signal.
 *
 * <p>Pure and stateless: all state lives in {@link SequentialState}.
 */
public final class SequentialErrorCheck {

    private static final double LN10 = Math.log(10);

    private final SequentialConfig config;
    private final int signals;

    public SequentialErrorCheck(SequentialConfig config) {
        this(config, 1);
    }

    public SequentialErrorCheck(SequentialConfig config, int signals) {
        this.config = Objects.requireNonNull(config, "config");
        if (signals < 1) {
            throw new IllegalArgumentException("at least one signal");
        }
        this.signals = signals;
    }

    public SequentialConfig config() {
        return config;
    }

    public int signals() {
        return signals;
    }

    public SequentialState initialState() {
        return SequentialState.initial(config, signals);
    }

    /**
     * Folds one reading of raw samples, aligned by {@link CounterAlignment}, into the evidence. An interval that does
     * not start at the stored cut (a reading lost in between) is not counted: it would leave a gap or overlap.
     *
     * @param previous state from the previous evaluation, or null at the start of the stage
     */
    public SequentialResult update(SequentialState previous, AlignedReading reading) {
        boolean changed = parametersChanged(previous);
        SequentialState state = usable(previous);
        EvidenceUpdate started = changed ? EvidenceUpdate.PARAMETERS_CHANGED : EvidenceUpdate.BASELINE_RECORDED;
        if (reading instanceof AlignedReading.Baseline b) {
            return result(state.withCut(b.cutMillis(), 0), started);
        }
        if (reading instanceof AlignedReading.Interval i) {
            if (changed || state.lastCutMillis() == null) {
                return result(state.withCut(i.toMillis(), 0), started);
            }
            return state.lastCutMillis() != i.fromMillis()
                    ? result(state, EvidenceUpdate.NO_DATA)
                    : addInterval(state, i.counts(), i.toMillis(), i.resets());
        }
        EvidenceUpdate nothing = reading instanceof AlignedReading.Waiting ? EvidenceUpdate.WAITING : EvidenceUpdate.NO_DATA;
        return result(state, changed ? EvidenceUpdate.PARAMETERS_CHANGED : nothing);
    }

    /**
     * Folds one evaluation of summed cumulative counters into the evidence (one signal: errors).
     *
     * @param previous state from the previous evaluation, or null at the start of the stage
     * @param canaryCumulative canary counter readings now (NaN when the query returned nothing)
     * @param stableCumulative stable counter readings now
     */
    public SequentialResult update(SequentialState previous, Counts canaryCumulative, Counts stableCumulative) {
        if (signals != 1) {
            throw new IllegalStateException("summed counters carry one signal");
        }
        boolean changed = parametersChanged(previous);
        SequentialState state = usable(previous);
        if (canaryCumulative == null || stableCumulative == null
                || !canaryCumulative.isUsable() || !stableCumulative.isUsable()) {
            return result(state, changed ? EvidenceUpdate.PARAMETERS_CHANGED : EvidenceUpdate.NO_DATA);
        }
        if (changed) {
            // Old log ratios were computed against other parameters and cannot be converted: start over from here.
            return result(state.withCumulativeBaseline(canaryCumulative, stableCumulative, 0), EvidenceUpdate.PARAMETERS_CHANGED);
        }
        if (!state.hasCumulativeBaseline()) {
            return result(state.withCumulativeBaseline(canaryCumulative, stableCumulative, 0), EvidenceUpdate.BASELINE_RECORDED);
        }
        Counts canary = canaryCumulative.minus(state.lastCanary());
        Counts stable = stableCumulative.minus(state.lastStable());
        if (canary.hasNegative() || stable.hasNegative()) {
            // A summed count went down: some pod restarted. The true increment is unknown, so the interval is dropped
            // rather than guessed; counting continues from the new readings.
            return result(state.withCumulativeBaseline(canaryCumulative, stableCumulative, 1), EvidenceUpdate.COUNTER_RESET);
        }
        SequentialResult added = addInterval(state,
                IntervalCounts.of(canary.requests(), canary.errors(), stable.requests(), stable.errors()), null, 0);
        return result(added.state().withCumulativeBaseline(canaryCumulative, stableCumulative, 0), added.update());
    }

    /** Starts the evidence over on purpose (resume or retry after a rollback, or an unreadable gap), counting restarts. */
    public SequentialResult restart(SequentialState previous) {
        long restarts = previous == null ? 1 : previous.restarts() + 1;
        return result(initialState().withRestarts(restarts), EvidenceUpdate.RESTARTED);
    }

    /**
     * The canary weight changed: NO_WORSE earned at the old weight does not carry over and must be re-earned, while the
     * rollback evidence continues (H0 holds in every interval, so the supermartingale is unaffected by the weight).
     */
    public SequentialResult atNewWeight(SequentialState previous) {
        if (previous == null) {
            return result(initialState(), EvidenceUpdate.NEW_WEIGHT);
        }
        SequentialDecision decision = previous.decision() == SequentialDecision.ROLLBACK
                ? SequentialDecision.ROLLBACK : SequentialDecision.CONTINUE;
        SequentialState next = new SequentialState(previous.nullRateRatio(), previous.falseRollbackRate(),
                previous.falsePromotionRate(), previous.lastCanary(), previous.lastStable(), previous.lastCutMillis(),
                previous.counted(), previous.evidence().withoutNoWorse(), decision, previous.intervals(),
                previous.counterResets(), previous.restarts());
        return result(next, EvidenceUpdate.NEW_WEIGHT);
    }

    private SequentialResult addInterval(SequentialState state, IntervalCounts counts, Long cutMillis, int resets) {
        SequentialState cut = cutMillis == null ? state : state.withCut(cutMillis, resets);
        if (!counts.isUsable() || counts.signals() != signals) {
            return result(cut, EvidenceUpdate.NO_DATA);
        }
        double n = counts.canaryRequests();
        double s = counts.stableRequests();
        if (n <= 0 || s <= 0) {
            // Without requests on both sides the errors cannot be compared; the interval is skipped, not a pass.
            return result(cut, EvidenceUpdate.NO_COMPARABLE_TRAFFIC);
        }
        double rho0 = config.nullRateRatio();
        double boundaryShare = rho0 * n / (rho0 * n + s);
        double[][] worse = state.evidence().worse();
        double[][] noWorse = state.evidence().noWorse();
        double[][] expected = state.evidence().expected();
        boolean moved = false;
        for (int b = 0; b < signals; b++) {
            double total = counts.canaryBad(b) + counts.stableBad(b);
            if (total > 0) {
                OddsMixture.WORSE.accumulate(worse[b], counts.canaryBad(b), total, boundaryShare);
                OddsMixture.NO_WORSE.accumulate(noWorse[b], counts.canaryBad(b), total, boundaryShare);
                OddsMixture.WORSE.accumulateExpected(expected[b], total, boundaryShare);
                moved = true;
            }
        }
        Evidence evidence = new Evidence(worse, noWorse, expected);
        SequentialState next = new SequentialState(state.nullRateRatio(), state.falseRollbackRate(),
                state.falsePromotionRate(), cut.lastCanary(), cut.lastStable(), cut.lastCutMillis(),
                plus(state.counted(), counts), evidence, decide(state.decision(), evidence),
                state.intervals() + (moved ? 1 : 0), cut.counterResets(), state.restarts());
        return result(next, moved ? EvidenceUpdate.EVIDENCE_ADDED : EvidenceUpdate.NO_NEW_ERRORS);
    }

    private static IntervalCounts plus(IntervalCounts a, IntervalCounts b) {
        double[] canary = a.canaryBad();
        double[] stable = a.stableBad();
        for (int i = 0; i < canary.length; i++) {
            canary[i] += b.canaryBad(i);
            stable[i] += b.stableBad(i);
        }
        return new IntervalCounts(a.canaryRequests() + b.canaryRequests(), a.stableRequests() + b.stableRequests(),
                canary, stable);
    }

    /** The state to continue from: fresh when the stored one was computed with other parameters. */
    private SequentialState usable(SequentialState previous) {
        if (previous == null) {
            return initialState();
        }
        return parametersChanged(previous) ? initialState().withRestarts(previous.restarts() + 1) : previous;
    }

    private boolean parametersChanged(SequentialState previous) {
        return previous != null && (!previous.sameParameters(config) || previous.signals() != signals);
    }

    private SequentialDecision decide(SequentialDecision before, Evidence evidence) {
        if (before == SequentialDecision.ROLLBACK || logWorse(evidence) >= config.logRollbackThreshold()) {
            return SequentialDecision.ROLLBACK;
        }
        if (before == SequentialDecision.NO_WORSE || logNoWorse(evidence) >= config.logNoWorseThreshold()) {
            return SequentialDecision.NO_WORSE;
        }
        return SequentialDecision.CONTINUE;
    }

    /** log of the average of the signals' "worse" e-values: an average of e-values is an e-value. */
    private double logWorse(Evidence evidence) {
        double[][] worse = evidence.worse();
        double[] perSignal = new double[signals];
        for (int b = 0; b < signals; b++) {
            perSignal[b] = OddsMixture.WORSE.logEvidence(worse[b]);
        }
        return logMeanExp(perSignal);
    }

    /** The weakest signal's "no worse" evidence: the canary is no worse only if it is no worse in every signal. */
    private double logNoWorse(Evidence evidence) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : evidence.noWorse()) {
            min = Math.min(min, OddsMixture.NO_WORSE.logEvidence(row));
        }
        return min;
    }

    static double logMeanExp(double[] values) {
        return OddsMixture.logSumExp(values) - Math.log(values.length);
    }

    /**
     * Smallest canary/stable rate ratio whose expected evidence so far would reach the rollback threshold on its own
     * grid point (weight and signal averaging included), interpolated between grid points; +Infinity when none would.
     */
    double detectableRelativeRisk(SequentialState state) {
        double needed = config.logRollbackThreshold() - OddsMixture.WORSE.logWeight() + Math.log(signals);
        double best = Double.POSITIVE_INFINITY;
        for (double[] row : state.evidence().expected()) {
            for (int r = 0; r < row.length; r++) {
                if (row[r] >= needed) {
                    double theta = OddsMixture.WORSE.theta(r);
                    if (r > 0 && row[r - 1] < needed) {
                        double f = (needed - row[r - 1]) / (row[r] - row[r - 1]);
                        theta = Math.exp(Math.log(OddsMixture.WORSE.theta(r - 1)) * (1 - f) + Math.log(theta) * f);
                    }
                    best = Math.min(best, theta * state.nullRateRatio());
                    break;
                }
            }
        }
        return best;
    }

    private SequentialResult result(SequentialState state, EvidenceUpdate update) {
        Evidence evidence = state.evidence();
        return new SequentialResult(state, state.decision(), update, outcome(state),
                logWorse(evidence) / LN10, config.logRollbackThreshold() / LN10,
                logNoWorse(evidence) / LN10, config.logNoWorseThreshold() / LN10,
                relativeRisk(state.canaryCounted(), state.stableCounted()), detectableRelativeRisk(state));
    }

    /** Only NO_WORSE is a pass; no baseline yet is NO_DATA, and no comparable traffic so far is INCONCLUSIVE. */
    private static EvidenceOutcome outcome(SequentialState state) {
        if (state.decision() == SequentialDecision.ROLLBACK) {
            return EvidenceOutcome.ROLLBACK;
        }
        if (state.decision() == SequentialDecision.NO_WORSE) {
            return EvidenceOutcome.NO_WORSE;
        }
        if (!state.hasCumulativeBaseline() && state.lastCutMillis() == null) {
            return EvidenceOutcome.NO_DATA;
        }
        return state.counted().canaryRequests() > 0 && state.counted().stableRequests() > 0
                ? EvidenceOutcome.CONTINUE
                : EvidenceOutcome.INCONCLUSIVE;
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
