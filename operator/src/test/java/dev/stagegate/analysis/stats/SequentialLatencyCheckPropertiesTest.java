package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.AlignedReading.Baseline;
import dev.stagegate.analysis.stats.AlignedReading.Interval;
import dev.stagegate.sandbox.PoissonSampler;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sequential latency check on histogram buckets")
class SequentialLatencyCheckPropertiesTest {
    private static final double ALPHA = 0.01;
    private static final int RUNS = 1500;
    private static final int STAGE_SECONDS = 1800;
    private static final int CHECK_SECONDS = 30;
    private static final double[] BUCKETS = new double[]{0.25, 0.5, 1.0};
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0.0, 1.0);
    private final SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01), BUCKETS.length);

    @Test
    @DisplayName("given canaries whose share slower than every bucket is exactly 1.2x stable's (the H0 boundary), with drifting latency and a shared slowdown mid-interval, then false rollbacks stay at or below alpha")
    void boundaryKeepsAlpha() {
        Simulation simulation = new Simulation(50000L);
        int rollbacks = 0;

        for (int run = 0; run < 1500; run++) {
            rollbacks += simulation.run(this.check, simulation.stage(5.0, 1000.0), tail -> 1.2 * tail) >= 0 ? 1 : 0;
        }

        SequentialErrorCheckPropertiesTest.assertWithinBound("latency, 3 buckets, H0 boundary + shared slowdown", rollbacks, 1500, 0.01);
    }

    @Test
    @DisplayName("given a canary identical to stable through a shared slowdown, then it is rolled back far less often than alpha (at most a tenth of it)")
    void sharedSlowdownIsNotBlamedOnTheCanary() {
        Simulation simulation = new Simulation(51000L);
        int runs = 600;
        int rollbacks = 0;

        for (int run = 0; run < runs; run++) {
            rollbacks += simulation.run(this.check, simulation.stage(50.0, 1000.0), tail -> tail) >= 0 ? 1 : 0;
        }

        SequentialErrorCheckPropertiesTest.assertWithinBound("latency, canary = stable, shared slowdown", rollbacks, runs, 0.001);
    }

    @Test
    @DisplayName("given a canary with five times stable's share of slow requests at 20-500 requests/s, then it is rolled back in at least 97% of stages")
    void fivefoldSlowShareIsCaught() {
        Simulation simulation = new Simulation(53000L);
        int runs = 400;
        int caught = 0;

        for (int run = 0; run < runs; run++) {
            caught += simulation.run(this.check, simulation.stage(20.0, 500.0), tail -> 5.0 * tail) >= 0 ? 1 : 0;
        }

        System.out.printf("latency, fivefold share slower than each bucket caught: %d/%d%n", caught, runs);
        assertThat((double)caught / runs).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    @DisplayName("given a canary 25% slower (median x1.25) at 20-500 requests/s and a 5-50% canary, then it is rolled back in at least 97% of stages")
    void quarterSlowerIsCaught() {
        Simulation simulation = new Simulation(52000L);
        int runs = 400;
        int caught = 0;
        long seconds = 0L;

        for (int run = 0; run < runs; run++) {
            Stage stage = simulation.stage(20.0, 500.0);
            double shift = Math.log(1.25) / stage.sigma();
            int at = simulation.run(
                this.check,
                stage,
                tail -> 1.0 - NORMAL.cumulativeProbability(NORMAL.inverseCumulativeProbability(Math.max(1.0E-12, Math.min(0.999999999999, 1.0 - tail))) - shift)
            );
            if (at >= 0) {
                caught++;
                seconds += at;
            }
        }

        System.out.printf("latency median x1.25 caught: %d/%d, mean %.1f min%n", caught, runs, caught == 0 ? Double.NaN : seconds / 60.0 / caught);
        assertThat((double)caught / runs).isGreaterThanOrEqualTo(0.97);
    }

    private static double tail(double le, double median, double sigma) {
        return 1.0 - NORMAL.cumulativeProbability(Math.log(le / median) / sigma);
    }

    private static final class Simulation {
        private final RandomGenerator random;
        private final PoissonSampler poisson;

        Simulation(long seed) {
            this.random = new Well19937c(seed);
            this.poisson = new PoissonSampler(this.random::nextDouble);
        }

        double uniform(double from, double to) {
            return from + (to - from) * this.random.nextDouble();
        }

        double logUniform(double from, double to) {
            return Math.exp(this.uniform(Math.log(from), Math.log(to)));
        }

        Stage stage(double rpsFrom, double rpsTo) {
            return new Stage(
                this.logUniform(rpsFrom, rpsTo),
                this.uniform(0.05, 0.5),
                this.logUniform(0.05, 0.2),
                this.uniform(0.4, 0.8),
                this.uniform(0.0, 1680.0),
                this.uniform(120.0, 900.0),
                this.uniform(1.5, 4.0)
            );
        }

        int run(SequentialErrorCheck check, Stage s, DoubleUnaryOperator canaryTail) {
            double[] drift = new double[31];

            for (int m = 0; m < drift.length; m++) {
                drift[m] = Math.exp(0.2 * this.random.nextGaussian());
            }

            SequentialResult r = check.update(null, new Baseline(0L, 0L, 15000L));

            for (int t = 30; t <= 1800; t += 30) {
                double[] stableSlow = new double[BUCKETS.length];
                double[] canarySlow = new double[BUCKETS.length];

                for (int second = t - 30; second < t; second++) {
                    double median = s.medianSeconds() * drift[second / 60];
                    double overlap = Math.max(
                        0.0, Math.min((double)(second + 1), s.slowdownStart() + s.slowdownSeconds()) - Math.max((double)second, s.slowdownStart())
                    );

                    for (int b = 0; b < BUCKETS.length; b++) {
                        double tail = (1.0 - overlap) * SequentialLatencyCheckPropertiesTest.tail(BUCKETS[b], median, s.sigma())
                            + overlap
                                * SequentialLatencyCheckPropertiesTest.tail(BUCKETS[b], median * s.slowdownFactor(), s.sigma());
                        stableSlow[b] += tail;
                        canarySlow[b] += Math.min(1.0, canaryTail.applyAsDouble(tail));
                    }
                }

                double canaryRps = s.rps() * s.canaryShare();
                double[] canary = this.histogram(canaryRps, canarySlow);
                double[] stable = this.histogram(s.rps() - canaryRps, stableSlow);
                IntervalCounts counts = new IntervalCounts(
                    canary[0], stable[0], Arrays.copyOfRange(canary, 1, canary.length), Arrays.copyOfRange(stable, 1, stable.length)
                );
                r = check.update(r.state(), new Interval((t - 30) * 1000L, t * 1000L, 0L, 15000L, counts, 0));
                if (r.decision() == SequentialDecision.ROLLBACK) {
                    return t;
                }
            }

            return -1;
        }

        private double[] histogram(double rps, double[] tailSeconds) {
            double[] out = new double[tailSeconds.length + 1];
            double above = 0.0;

            for (int b = tailSeconds.length - 1; b >= 0; b--) {
                double upper = b + 1 < tailSeconds.length ? tailSeconds[b + 1] : 0.0;
                above += this.poisson.sample(rps * Math.max(0.0, tailSeconds[b] - upper));
                out[b + 1] = above;
            }

            out[0] = above + this.poisson.sample(rps * Math.max(0.0, 30.0 - tailSeconds[0]));
            return out;
        }
    }

    private record Stage(double rps, double canaryShare, double medianSeconds, double sigma, double slowdownStart, double slowdownSeconds, double slowdownFactor) {
    }
}
