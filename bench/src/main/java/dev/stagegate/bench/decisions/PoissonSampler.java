package dev.stagegate.bench.decisions;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;

/**
 * Exact Poisson variates, fast enough for millions of draws: multiplication method below a mean of 10, Hörmann's
 * transformed rejection (PTRS, 1993) above. (commons-math3 builds distribution objects per draw.)
 */
final class PoissonSampler {

    private PoissonSampler() {
    }

    static long sample(SplittableRandom random, double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        return mean < 10 ? multiplication(random, mean) : transformedRejection(random, mean);
    }

    private static long multiplication(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }

    private static long transformedRejection(SplittableRandom random, double mean) {
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * Math.sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - Gamma.logGamma(k + 1.0)) {
                return k;
            }
        }
    }
}
