package dev.stagegate.analysis.stats;

import java.util.Arrays;

/**
 * Requests and bad events of each revision in one interval (or summed over counted intervals), one bad-event count per
 * signal. Doubles because interpolated increments at a cut between two scrapes need not be whole.
 */
public record IntervalCounts(double canaryRequests, double stableRequests, double[] canaryBad, double[] stableBad) {

    public IntervalCounts {
        if (canaryBad.length != stableBad.length || canaryBad.length == 0) {
            throw new IllegalArgumentException("one bad-event count per signal and revision");
        }
        canaryBad = canaryBad.clone();
        stableBad = stableBad.clone();
    }

    /** One signal (errors). */
    public static IntervalCounts of(double canaryRequests, double canaryErrors, double stableRequests, double stableErrors) {
        return new IntervalCounts(canaryRequests, stableRequests, new double[] {canaryErrors}, new double[] {stableErrors});
    }

    public int signals() {
        return canaryBad.length;
    }

    @Override
    public double[] canaryBad() {
        return canaryBad.clone();
    }

    @Override
    public double[] stableBad() {
        return stableBad.clone();
    }

    double canaryBad(int signal) {
        return canaryBad[signal];
    }

    double stableBad(int signal) {
        return stableBad[signal];
    }

    /** All counts finite and non-negative. */
    boolean isUsable() {
        boolean ok = Double.isFinite(canaryRequests) && Double.isFinite(stableRequests)
                && canaryRequests >= 0 && stableRequests >= 0;
        for (int i = 0; i < canaryBad.length; i++) {
            ok &= Double.isFinite(canaryBad[i]) && Double.isFinite(stableBad[i]) && canaryBad[i] >= 0 && stableBad[i] >= 0;
        }
        return ok;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntervalCounts other
                && canaryRequests == other.canaryRequests
                && stableRequests == other.stableRequests
                && Arrays.equals(canaryBad, other.canaryBad)
                && Arrays.equals(stableBad, other.stableBad);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(canaryRequests) + Double.hashCode(stableRequests)
                + 7 * Arrays.hashCode(canaryBad) + Arrays.hashCode(stableBad);
    }

    @Override
    public String toString() {
        return "IntervalCounts[canary " + Arrays.toString(canaryBad) + "/" + canaryRequests
                + ", stable " + Arrays.toString(stableBad) + "/" + stableRequests + "]";
    }
}
