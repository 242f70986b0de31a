package dev.stagegate.bench.decisions;

/**
 * One simulated release: the traffic, the stable revision's behaviour and what the canary does differently.
 *
 * @param totalRps mean requests per second over both revisions (before the daily traffic cycle)
 * @param canaryShare fraction of traffic routed to the canary
 * @param baseErrorRate stable error rate (before drift and noise)
 * @param baseSlowRate stable fraction of requests slower than the 500 ms latency objective
 * @param errorMultiplier canary error rate = multiplier x stable's (+ errorIncrease)
 * @param errorIncrease absolute error-rate increase of the canary (0.01 = +1 point)
 * @param slowIncrease absolute increase of the canary's slow-request fraction (latency regression)
 * @param incident a shared incident hitting both revisions, or null
 * @param independentNoise sigma of per-revision log-normal jitter of the rates per tick (0 = rates move together)
 * @param dayOffsetSeconds where in the day the stage starts (daily drift of traffic and errors)
 * @param seed seeds the trace's counts
 */
record Scenario(Kind kind, double totalRps, double canaryShare, double baseErrorRate, double baseSlowRate,
        double errorMultiplier, double errorIncrease, double slowIncrease, Incident incident, double independentNoise,
        double dayOffsetSeconds, long seed) {

    enum Kind {
        GOOD(false), BAD_ERRORS(true), BAD_LATENCY(true), FIVEFOLD(true), BOUNDARY(false);

        final boolean bad;

        Kind(boolean bad) {
            this.bad = bad;
        }
    }

    /** Both revisions get {@code errorAdd} more errors and {@code slowAdd} more slow requests while it lasts. */
    record Incident(int startSeconds, int durationSeconds, double errorAdd, double slowAdd) {
        boolean activeAt(double seconds) {
            return seconds >= startSeconds && seconds < startSeconds + durationSeconds;
        }
    }

    boolean bad() {
        return kind.bad;
    }

    boolean hasIncident() {
        return incident != null;
    }
}
