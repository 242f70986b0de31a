package dev.stagegate.analysis.stats;

/**
 * What a sequential check says about the stage so far. Only NO_WORSE lets a stage end early; CONTINUE, INCONCLUSIVE
 * and NO_DATA are never a pass.
 */
public enum EvidenceOutcome {
    /** The canary is worse than allowed: e-value reached 1/alpha. */
    ROLLBACK,
    /** Evidence that the canary is no worse than allowed at this weight: e-value reached 1/beta. */
    NO_WORSE,
    /** Comparable traffic was counted but the evidence has not decided yet. */
    CONTINUE,
    /** Counting started but one revision (or both) has served no requests to compare. */
    INCONCLUSIVE,
    /** No usable reading yet. */
    NO_DATA
}
