package dev.stagegate.analysis.stats;

import dev.stagegate.sandbox.PoissonSampler;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A seeded canary stage for property tests: per-interval Poisson request and error counts for a canary and its
 * stable revision, with a traffic share and error rates that move between intervals (drift, noise shared by both
 * revisions, traffic shifts), handed to a check as cumulative counter readings, as the operator reads Prometheus.
 */
final class SimulatedStage {

    /** The canary's error rate in an interval, given the stable revision's. */
    interface CanaryRate {
        double of(double stableRate);
    }

    /** Receives the cumulative readings after each interval (numbered from 1). */
    interface Observer {
        void observe(int interval, Counts canaryCumulative, Counts stableCumulative);
    }

    private final RandomGenerator random;
    private final PoissonSampler poisson;

    SimulatedStage(long seed) {
        this.random = new Well19937c(seed);
        this.poisson = new PoissonSampler(random::nextDouble);
    }

    double uniform(double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    double logUniform(double from, double to) {
        return Math.exp(uniform(Math.log(from), Math.log(to)));
    }

    long poisson(double mean) {
        return poisson.sample(mean);
    }

    /**
     * Generates one stage.
     *
     * @param totalRps requests per second over both revisions
     * @param baseErrorRate stable error rate around which the stage drifts (+-50%) with per-interval noise
     * @param canaryShareFrom canary share at the start; it moves towards {@code canaryShareTo}, with noise
     */
    void generate(int intervals, double intervalSeconds, double totalRps, double baseErrorRate,
            double canaryShareFrom, double canaryShareTo, CanaryRate canaryRate, Observer observer) {
        double phase = uniform(0, 2 * Math.PI);
        long canaryRequests = 0;
        long canaryErrors = 0;
        long stableRequests = 0;
        long stableErrors = 0;
        for (int i = 1; i <= intervals; i++) {
            double progress = (double) i / intervals;
            double share = Math.min(0.95, (canaryShareFrom + (canaryShareTo - canaryShareFrom) * progress)
                    * Math.exp(0.3 * random.nextGaussian()));
            double stableRate = Math.min(0.15, baseErrorRate * (1 + 0.5 * Math.sin(phase + 3 * progress))
                    * Math.exp(0.3 * random.nextGaussian()));
            double canaryRateNow = Math.min(1, canaryRate.of(stableRate));
            double requests = totalRps * intervalSeconds;
            // Poisson thinning: errors and successes of a Poisson request stream are independent Poisson counts.
            long ce = poisson(requests * share * canaryRateNow);
            long cs = poisson(requests * share * (1 - canaryRateNow));
            long se = poisson(requests * (1 - share) * stableRate);
            long ss = poisson(requests * (1 - share) * (1 - stableRate));
            canaryRequests += ce + cs;
            canaryErrors += ce;
            stableRequests += se + ss;
            stableErrors += se;
            observer.observe(i, Counts.of(canaryRequests, canaryErrors), Counts.of(stableRequests, stableErrors));
        }
    }

    /** Runs {@code check} over one generated stage, evaluating after every interval. */
    Run run(SequentialErrorCheck check, int intervals, double intervalSeconds, double totalRps, double baseErrorRate,
            double canaryShareFrom, double canaryShareTo, CanaryRate canaryRate) {
        Run run = new Run(check);
        generate(intervals, intervalSeconds, totalRps, baseErrorRate, canaryShareFrom, canaryShareTo, canaryRate, run);
        return run;
    }

    /** A check evaluated after every interval from the start of the stage (readings 0, 0). */
    static final class Run implements Observer {
        private final SequentialErrorCheck check;
        private SequentialResult last;
        private int rollbackAt = -1;
        private int noWorseAt = -1;

        Run(SequentialErrorCheck check) {
            this.check = check;
            this.last = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        }

        @Override
        public void observe(int interval, Counts canary, Counts stable) {
            last = check.update(last.state(), canary, stable);
            if (rollbackAt < 0 && last.decision() == SequentialDecision.ROLLBACK) {
                rollbackAt = interval;
            }
            if (noWorseAt < 0 && last.decision() == SequentialDecision.NO_WORSE) {
                noWorseAt = interval;
            }
        }

        boolean rolledBack() {
            return rollbackAt > 0;
        }

        int rollbackAt() {
            return rollbackAt;
        }

        boolean reportedNoWorse() {
            return noWorseAt > 0;
        }

        SequentialResult last() {
            return last;
        }
    }
}
