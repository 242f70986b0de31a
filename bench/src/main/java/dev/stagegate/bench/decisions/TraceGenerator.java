package dev.stagegate.bench.decisions;

import java.util.SplittableRandom;

/**
 * Turns a {@link Scenario} into per-tick counts. Requests are a Poisson stream; each request fails (5xx) with the
 * revision's error rate, and otherwise is slow with its slow rate, so errors, slow and fine requests are independent
 * Poisson counts (Poisson thinning). Rates follow a daily cycle and jitter per tick with noise shared by both
 * revisions (a flaky dependency), plus optional per-revision jitter that the Poisson model does not assume.
 */
final class TraceGenerator {

    private static final double DAY = 86_400;
    private static final double SHARED_NOISE = 0.25;
    private static final double MAX_RATE = 0.9;

    private TraceGenerator() {
    }

    static Trace generate(Scenario s, int stageSeconds) {
        int ticks = stageSeconds / Trace.TICK_SECONDS;
        Trace trace = new Trace(ticks);
        SplittableRandom random = new SplittableRandom(s.seed());
        for (int i = 1; i <= ticks; i++) {
            double t = i * Trace.TICK_SECONDS;
            double day = 2 * Math.PI * (s.dayOffsetSeconds() + t) / DAY;
            double traffic = s.totalRps() * (1 + 0.5 * Math.sin(day)) * Trace.TICK_SECONDS;
            double shared = logNormal(random, SHARED_NOISE);
            double errorBase = s.baseErrorRate() * (1 + 0.3 * Math.sin(day + 1)) * shared;
            double slowBase = s.baseSlowRate() * (1 + 0.3 * Math.sin(day + 2)) * logNormal(random, SHARED_NOISE);
            double errorAdd = 0;
            double slowAdd = 0;
            if (s.incident() != null && s.incident().activeAt(t)) {
                errorAdd = s.incident().errorAdd();
                slowAdd = s.incident().slowAdd();
            }
            double stableError = clamp(errorBase * logNormal(random, s.independentNoise()) + errorAdd);
            double stableSlow = clamp(slowBase * logNormal(random, s.independentNoise()) + slowAdd);
            double canaryError = clamp(s.errorMultiplier() * errorBase * logNormal(random, s.independentNoise())
                    + s.errorIncrease() + errorAdd);
            double canarySlow = clamp(slowBase * logNormal(random, s.independentNoise()) + s.slowIncrease() + slowAdd);

            double canaryTraffic = traffic * s.canaryShare();
            double stableTraffic = traffic - canaryTraffic;
            record(random, trace.canaryRequests, trace.canaryErrors, trace.canarySlow, i, canaryTraffic, canaryError,
                    canarySlow);
            record(random, trace.stableRequests, trace.stableErrors, trace.stableSlow, i, stableTraffic, stableError,
                    stableSlow);
            double canaryFailing = canaryError + (1 - canaryError) * canarySlow;
            double stableFailing = stableError + (1 - stableError) * stableSlow;
            trace.canaryExcessFailures[i] = trace.canaryExcessFailures[i - 1]
                    + canaryTraffic * (canaryFailing - stableFailing);
        }
        return trace;
    }

    private static void record(SplittableRandom random, long[] requests, long[] errors, long[] slow, int i,
            double traffic, double errorRate, double slowRate) {
        long e = poisson(random, traffic * errorRate);
        long s = poisson(random, traffic * (1 - errorRate) * slowRate);
        long fine = poisson(random, traffic * (1 - errorRate) * (1 - slowRate));
        requests[i] = requests[i - 1] + e + s + fine;
        errors[i] = errors[i - 1] + e;
        slow[i] = slow[i - 1] + s;
    }

    /** Mean-one log-normal factor. */
    private static double logNormal(SplittableRandom random, double sigma) {
        if (sigma == 0) {
            return 1;
        }
        return Math.exp(sigma * gaussian(random) - sigma * sigma / 2);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; one value per call keeps the stream simple and reproducible.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double clamp(double rate) {
        return Math.max(0, Math.min(MAX_RATE, rate));
    }

    /** Exact Poisson draws from this trace's own generator (the sandbox's sampler, shared with the tests). */
    private static long poisson(java.util.SplittableRandom random, double mean) {
        return new dev.stagegate.sandbox.PoissonSampler(random::nextDouble).sample(mean);
    }
}
