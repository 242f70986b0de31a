package dev.stagegate.sandbox;

import java.util.function.DoubleSupplier;
import org.apache.commons.math3.special.Gamma;

/**
 * Fast exact Poisson variates for simulations: multiplication method for small means, Hörmann's transformed
 * rejection (PTRS, 1993) above. commons-math3's sampler builds distribution objects per draw, which made the
 * property tests minutes long.
 */
public final class PoissonSampler {

    private final DoubleSupplier uniform;

    public PoissonSampler(DoubleSupplier uniform) {
        this.uniform = uniform;
    }

    public long sample(double mean) {
        if (mean <= 0) {
            return 0;
        }
        return mean < 10 ? multiplication(mean) : transformedRejection(mean);
    }

    private long multiplication(double mean) {
        double limit = Math.exp(-mean);
        double product = uniform.getAsDouble();
        long k = 0;
        while (product > limit) {
            k++;
            product *= uniform.getAsDouble();
        }
        return k;
    }

    private long transformedRejection(double mean) {
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * Math.sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = uniform.getAsDouble() - 0.5;
            double v = uniform.getAsDouble();
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
