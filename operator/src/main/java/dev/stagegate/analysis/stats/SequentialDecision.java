package dev.stagegate.analysis.stats;

/** What a {@link SequentialErrorCheck} concludes after an evaluation. */
public enum SequentialDecision {
    /** Not enough evidence either way: keep watching. */
    CONTINUE,
    /** The canary's error rate exceeds (1 + delta) x stable's: e-value reached 1/alpha. Absorbing. */
    ROLLBACK,
    /**
     * Evidence that the canary's error rate is below (1 + delta) x stable's: the stage may end early.
     * A later {@link #ROLLBACK} still overrides it if monitoring continues.
     */
    NO_WORSE
}
