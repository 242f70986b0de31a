package dev.stagegate.analysis.stats;

/**
 * A prior over the odds multiplier theta = rho / rho0, on a log-spaced grid with equal weights.
 *
 * <p>For each grid point the check keeps the running log likelihood ratio of "each error is the canary's with
 * odds theta x rho0 x n_c / n_s" against the H0 boundary "odds rho0 x n_c / n_s". The mixture e-value is the
 * weighted average of the exponentiated sums. A grid (rather than a conjugate prior) keeps the mixture exact when
 * the traffic share changes between intervals.
 */
final class OddsMixture {

    /** Alternatives "canary worse than allowed": theta from 1.1 to 200, 24 points (ratio ~1.25 between points). */
    static final OddsMixture WORSE = logSpaced(1.1, 200, 24);
    /** Alternatives "canary better than the bound": theta from 0.02 to 0.95, 16 points. */
    static final OddsMixture NO_WORSE = logSpaced(0.02, 0.95, 16);

    private final double[] thetas;
    private final double[] logThetas;
    private final double logWeight;

    private OddsMixture(double[] thetas) {
        this.thetas = thetas;
        this.logThetas = new double[thetas.length];
        for (int i = 0; i < thetas.length; i++) {
            logThetas[i] = Math.log(thetas[i]);
        }
        this.logWeight = -Math.log(thetas.length);
    }

    static OddsMixture logSpaced(double from, double to, int points) {
        double[] thetas = new double[points];
        double step = (Math.log(to) - Math.log(from)) / (points - 1);
        for (int i = 0; i < points; i++) {
            thetas[i] = Math.exp(Math.log(from) + i * step);
        }
        return new OddsMixture(thetas);
    }

    int size() {
        return thetas.length;
    }

    double theta(int i) {
        return thetas[i];
    }

    /**
     * Adds one interval's log likelihood ratios in place:
     * {@code x log(theta) - m log(1 + (theta - 1) p0)} where p0 is the canary's share of errors under the H0 boundary.
     */
    void accumulate(double[] logRatios, double canaryErrors, double totalErrors, double boundaryShare) {
        for (int i = 0; i < thetas.length; i++) {
            logRatios[i] += canaryErrors * logThetas[i] - totalErrors * Math.log1p((thetas[i] - 1) * boundaryShare);
        }
    }

    /**
     * Adds, per grid point, the expected log likelihood ratio of one interval if the canary's odds really were theta
     * times the boundary's: the drift with which the "worse" evidence would grow, used to report the smallest
     * detectable regression so far.
     */
    void accumulateExpected(double[] expected, double totalErrors, double boundaryShare) {
        for (int i = 0; i < thetas.length; i++) {
            double denominator = 1 + (thetas[i] - 1) * boundaryShare;
            double share = thetas[i] * boundaryShare / denominator;
            expected[i] += totalErrors * (share * logThetas[i] - Math.log(denominator));
        }
    }

    double logWeight() {
        return logWeight;
    }

    /** log of the mixture e-value: log sum_i w_i exp(logRatios[i]), computed stably. */
    double logEvidence(double[] logRatios) {
        return logSumExp(logRatios) + logWeight;
    }

    static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
