package dev.stagegate.analysis.stats;

/** What one evaluation did to the evidence, for the Release status and events. */
public enum EvidenceUpdate {
    /** First usable reading: counting starts here; nothing before it is used. */
    BASELINE_RECORDED,
    /** Both revisions served requests and at least one error occurred: the evidence moved. */
    EVIDENCE_ADDED,
    /** Both revisions served requests but no errors occurred: an error-free interval carries no evidence. */
    NO_NEW_ERRORS,
    /** One revision (or both) served no requests in the interval: its errors cannot be compared. */
    NO_COMPARABLE_TRAFFIC,
    /** A cumulative count went down (pod restart): the interval is skipped and counting restarts from here. */
    COUNTER_RESET,
    /** Counters were read but no interval could be cut yet (too few scrapes, or waiting for steady rates). */
    WAITING,
    /** A reading was missing, NaN, infinite or negative: nothing changed. */
    NO_DATA,
    /** maxRelativeIncrease, alpha, beta or the signals changed since the state was written: the evidence restarts from here. */
    PARAMETERS_CHANGED,
    /** The evidence was restarted on purpose (resume, retry, a reading too old to continue from). */
    RESTARTED,
    /** The canary weight changed: NO_WORSE must be re-earned, the rollback evidence carries on. */
    NEW_WEIGHT
}
