package dev.stagegate.bench.decisions;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Kayenta-style judgement at the end of the stage: per-minute error ratio and slow-request ratio of the canary are
 * compared with the baseline's (here: the stable revision) by the rule of Kayenta's Mann-Whitney classifier. A
 * metric is High when the lower end of the {@code confidence} interval of the Hodges-Lehmann shift (canary minus
 * baseline) lies above {@code tolerance} x |shift| and the mean ratio is >= 1; any High metric fails the canary
 * (with two metrics, one High drops the score to 50, below any usual pass threshold). Minutes without requests are
 * removed (NaN strategy "remove"); identical or constant data pass.
 *
 * <p>The interval uses the normal approximation to the Mann-Whitney U distribution (no tie correction) with
 * commons-math3's normal quantile; commons-math3's MannWhitneyUTest only returns a p-value, not this interval.
 */
final class KayentaStylePolicy implements Policy {

    private static final int BUCKET = 60;
    private final double tolerance;
    private final double confidence;
    private final double z;

    KayentaStylePolicy(double tolerance, double confidence) {
        this.tolerance = tolerance;
        this.confidence = confidence;
        this.z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    @Override
    public String name() {
        return "Kayenta-style";
    }

    @Override
    public String settings() {
        return String.format(Locale.ROOT, "end of stage, per-minute error ratio and slow ratio vs stable, Mann-Whitney "
                + "classifier: High if CI(%.2f) lower bound of Hodges-Lehmann shift > %.2f x |shift|", confidence,
                tolerance);
    }

    @Override
    public Outcome run(Scenario scenario, Trace trace) {
        int minutes = trace.durationSeconds() / BUCKET;
        double[] canaryErrors = new double[minutes];
        double[] stableErrors = new double[minutes];
        double[] canarySlow = new double[minutes];
        double[] stableSlow = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            Trace.Window c = trace.canary(m * BUCKET, (m + 1) * BUCKET);
            Trace.Window s = trace.stable(m * BUCKET, (m + 1) * BUCKET);
            canaryErrors[m] = c.errorRatio();
            stableErrors[m] = s.errorRatio();
            canarySlow[m] = c.slowRatio();
            stableSlow[m] = s.slowRatio();
        }
        boolean high = isHigh(canaryErrors, stableErrors) || isHigh(canarySlow, stableSlow);
        return high ? Outcome.rollback(trace.durationSeconds()) : Outcome.promote(trace.durationSeconds());
    }

    boolean isHigh(double[] canaryWithNaN, double[] baselineWithNaN) {
        double[] canary = withoutNaN(canaryWithNaN);
        double[] baseline = withoutNaN(baselineWithNaN);
        if (canary.length == 0 || baseline.length == 0) {
            return false;
        }
        Arrays.sort(canary);
        Arrays.sort(baseline);
        if (Arrays.equals(canary, baseline) || (canary[0] == canary[canary.length - 1]
                && baseline[0] == baseline[baseline.length - 1] && canary[0] == baseline[0])) {
            return false;
        }
        int n = canary.length;
        int m = baseline.length;
        double[] shifts = new double[n * m];
        int i = 0;
        for (double c : canary) {
            for (double b : baseline) {
                shifts[i++] = c - b;
            }
        }
        Arrays.sort(shifts);
        double estimate = median(shifts);
        int k = (int) Math.floor(n * m / 2.0 - z * Math.sqrt(n * (double) m * (n + m + 1) / 12.0));
        if (k < 0) {
            return false;
        }
        double lower = shifts[k];
        double baselineMean = StatUtils.mean(baseline);
        double meanRatio = baselineMean == 0 ? 1 : StatUtils.mean(canary) / baselineMean;
        return lower > tolerance * Math.abs(estimate) && meanRatio >= 1;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] withoutNaN(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }
}
