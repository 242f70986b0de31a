package dev.stagegate.bench.decisions;

/**
 * Cumulative counters of a canary and its stable revision, one reading per scrape tick, as Prometheus would hold
 * them. Index 0 is the start of the stage (all zero); index i is the reading after i ticks.
 */
final class Trace {

    static final int TICK_SECONDS = 15;

    final long[] canaryRequests;
    final long[] canaryErrors;
    final long[] canarySlow;
    final long[] stableRequests;
    final long[] stableErrors;
    final long[] stableSlow;
    /**
     * Expected failed canary requests beyond what the stable revision's rates would have produced on the same canary
     * traffic: the harm attributable to the release, without the failures a shared incident causes anyway.
     */
    final double[] canaryExcessFailures;

    Trace(int ticks) {
        canaryRequests = new long[ticks + 1];
        canaryErrors = new long[ticks + 1];
        canarySlow = new long[ticks + 1];
        stableRequests = new long[ticks + 1];
        stableErrors = new long[ticks + 1];
        stableSlow = new long[ticks + 1];
        canaryExcessFailures = new double[ticks + 1];
    }

    int ticks() {
        return canaryRequests.length - 1;
    }

    int durationSeconds() {
        return ticks() * TICK_SECONDS;
    }

    /** Requests, errors and slow requests of one revision between two instants (clamped to the stage). */
    record Window(long requests, long errors, long slow) {
        /** NaN when there were no requests, as a Prometheus ratio of two zero rates. */
        double errorRatio() {
            return requests == 0 ? Double.NaN : (double) errors / requests;
        }

        double slowRatio() {
            return requests == 0 ? Double.NaN : (double) slow / requests;
        }
    }

    Window canary(int fromSeconds, int toSeconds) {
        int from = tick(fromSeconds);
        int to = tick(toSeconds);
        return new Window(canaryRequests[to] - canaryRequests[from], canaryErrors[to] - canaryErrors[from],
                canarySlow[to] - canarySlow[from]);
    }

    Window stable(int fromSeconds, int toSeconds) {
        int from = tick(fromSeconds);
        int to = tick(toSeconds);
        return new Window(stableRequests[to] - stableRequests[from], stableErrors[to] - stableErrors[from],
                stableSlow[to] - stableSlow[from]);
    }

    /** Failed canary requests (5xx or slower than the objective) served from the start until {@code seconds}. */
    long canaryFailedUntil(int seconds) {
        int t = tick(seconds);
        return canaryErrors[t] + canarySlow[t];
    }

    double canaryExcessUntil(int seconds) {
        return canaryExcessFailures[tick(seconds)];
    }

    private int tick(int seconds) {
        return Math.max(0, Math.min(ticks(), seconds / TICK_SECONDS));
    }
}
