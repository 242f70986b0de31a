package dev.stagegate.analysis.stats;

import dev.stagegate.analysis.stats.AlignedReading.Unusable;
import dev.stagegate.sandbox.PoissonSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A fast simulation of one canary stage as Prometheus sees it: each pod its own scrape target with its own offset,
 * per-pod cumulative counters (reset when a pod restarts), a stable error rate that drifts, optional shared incidents
 * and optional double reporting. It compares two ways of reading the counters: the operator's aligned raw samples
 * ({@link CounterAlignment}) and the naive sum of each pod's latest sample. Shared with the decision benchmark
 * through the operator's test jar.
 */
public final class ScrapedStage {
    public static final int CHECK_SECONDS = 30;
    public static final int STAGE_SECONDS = 1800;
    private final RandomGenerator random;
    private final PoissonSampler poisson;

    public ScrapedStage(long seed) {
        this.random = new Well19937c(seed);
        this.poisson = new PoissonSampler(this.random::nextDouble);
    }

    public double uniform(double from, double to) {
        return from + (to - from) * this.random.nextDouble();
    }

    public double logUniform(double from, double to) {
        return Math.exp(this.uniform(Math.log(from), Math.log(to)));
    }

    public int integer(int from, int toInclusive) {
        return from + this.random.nextInt(toInclusive - from + 1);
    }

    public boolean chance(double p) {
        return this.random.nextDouble() < p;
    }

    /** Canary exactly at the H0 boundary (1.2x stable's rate) with a shared incident of random start and length. */
    public Setup boundaryWithIncident(int scrapeSeconds) {
        double start = this.uniform(0.0, 1620.0);
        Incident incident = new Incident(start, this.uniform(180.0, 900.0), this.logUniform(0.01, 0.2));
        Restart restart = this.chance(0.3333333333333333) ? new Restart(this.integer(0, 3), this.uniform(60.0, 1800.0)) : null;
        return new Setup(
            this.logUniform(50.0, 1000.0),
            this.integer(1, 2),
            this.integer(4, 12),
            this.uniform(0.05, 0.5),
            this.logUniform(0.001, 0.02),
            1.2,
            scrapeSeconds,
            1800,
            incident,
            restart,
            false
        );
    }

    public Setup busyBoundaryWithBigIncident(int scrapeSeconds) {
        Incident incident = new Incident(this.uniform(0.0, 1620.0), this.uniform(180.0, 900.0), 0.2);
        return new Setup(500.0, 1, 9, 0.1, this.logUniform(0.001, 0.02), 1.2, scrapeSeconds, 1800, incident, null, false);
    }

    /** Every request reported by two scrape jobs: the counts are doubled. */
    public Setup doubleReported(int scrapeSeconds) {
        return new Setup(
            this.logUniform(50.0, 1000.0), 1, 9, this.uniform(0.05, 0.5), this.logUniform(0.001, 0.02), 1.2, scrapeSeconds, 1800, null, null, true
        );
    }

    List<PodSamples> generate(Setup s) {
        int seconds = s.stageSeconds();
        double[] stableRate = new double[seconds];
        double phase = this.uniform(0.0, Math.PI * 2);
        double level = 1.0;

        for (int t = 0; t < seconds; t++) {
            if (t % 60 == 0) {
                level = Math.exp(0.3 * this.random.nextGaussian());
            }

            stableRate[t] = s.baseErrorRate() * (1.0 + 0.5 * Math.sin(phase + 3.0 * t / seconds)) * level;
        }

        int pods = s.canaryPods() + s.stablePods();
        List<PodSamples> out = new ArrayList<>(pods * (s.doubleReported() ? 2 : 1));

        for (int p = 0; p < pods; p++) {
            boolean canary = p < s.canaryPods();
            double podRps = s.totalRps() * (canary ? s.canaryShare() / s.canaryPods() : (1.0 - s.canaryShare()) / s.stablePods());
            double offset = this.uniform(0.0, s.scrapeSeconds());
            double restartAt = s.restart() != null && s.restart().pod() == p ? s.restart().atSeconds() : Double.NaN;
            out.add(this.scrape(s, "pod-" + p, canary, podRps, stableRate, offset, restartAt));
            if (s.doubleReported()) {
                PodSamples first = out.get(out.size() - 1);
                out.add(rescrape(first, this.uniform(0.0, s.scrapeSeconds()), s.scrapeSeconds(), seconds));
            }
        }

        return out;
    }

    private PodSamples scrape(
        Setup s, String name, boolean canary, double podRps, double[] stableRate, double offset, double restartAt
    ) {
        int n = (int)Math.floor((s.stageSeconds() - offset) / s.scrapeSeconds()) + 1;
        long[] times = new long[n];
        double[] requests = new double[n];
        double[] errors = new double[n];
        double previous = 0.0;
        double sinceStartRequests = 0.0;
        double sinceStartErrors = 0.0;

        for (int j = 0; j < n; j++) {
            double t = offset + j * s.scrapeSeconds();
            boolean restartsHere = restartAt > previous && restartAt <= t;
            if (restartsHere) {
                this.draw(s, canary, podRps, stableRate, previous, restartAt);
                sinceStartRequests = 0.0;
                sinceStartErrors = 0.0;
                previous = restartAt;
            }

            double[] counts = this.draw(s, canary, podRps, stableRate, previous, t);
            sinceStartRequests += counts[0];
            sinceStartErrors += counts[1];
            times[j] = Math.round(t * 1000.0);
            requests[j] = sinceStartRequests;
            errors[j] = sinceStartErrors;
            previous = t;
        }

        return new PodSamples(name, canary, times, requests, errors);
    }

    private double[] draw(Setup s, boolean canary, double podRps, double[] stableRate, double from, double to) {
        double expectedErrors = 0.0;

        for (int t = (int)Math.floor(from); t < Math.ceil(to); t++) {
            double overlap = Math.min(to, (double)(t + 1)) - Math.max(from, (double)t);
            if (!(overlap <= 0.0) && t < stableRate.length) {
                double rate = (canary ? s.canaryRateRatio() : 1.0) * stableRate[t];
                Incident i = s.incident();
                if (i != null) {
                    double start = Math.max((double)t, i.startSeconds());
                    double end = Math.min((double)(t + 1), i.startSeconds() + i.durationSeconds());
                    rate += i.errorAdd() * Math.max(0.0, end - start);
                }

                expectedErrors += podRps * overlap * Math.min(1.0, rate);
            }
        }

        double expectedRequests = podRps * (to - from);
        long e = this.poisson.sample(expectedErrors);
        long ok = this.poisson.sample(Math.max(0.0, expectedRequests - expectedErrors));
        return new double[]{e + ok, e};
    }

    private static PodSamples rescrape(PodSamples first, double offset, int scrapeSeconds, int stageSeconds) {
        int n = (int)Math.floor((stageSeconds - offset) / scrapeSeconds) + 1;
        long[] times = new long[n];
        double[] requests = new double[n];
        double[] errors = new double[n];

        for (int j = 0; j < n; j++) {
            times[j] = Math.round((offset + j * scrapeSeconds) * 1000.0);
            int k = lastAtOrBefore(first.times(), times[j]);
            requests[j] = k < 0 ? 0.0 : first.requests()[k];
            errors[j] = k < 0 ? 0.0 : first.errors()[k];
        }

        return new PodSamples(first.name() + "-destination", first.canary(), times, requests, errors);
    }

    static int lastAtOrBefore(long[] times, long t) {
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i : -i - 2;
    }

    public Outcome run(SequentialErrorCheck check, Setup setup, Reading reading) {
        List<PodSamples> pods = this.generate(setup);
        return reading == Reading.SUMMED_LATEST_SAMPLES ? summed(check, setup, pods) : aligned(check, setup, pods);
    }

    private static Outcome summed(SequentialErrorCheck check, Setup setup, List<PodSamples> pods) {
        SequentialResult r = null;

        for (int t = 30; t <= setup.stageSeconds(); t += 30) {
            double[] sums = new double[4];

            for (PodSamples p : pods) {
                int k = lastAtOrBefore(p.times(), t * 1000L);
                if (k >= 0) {
                    sums[p.canary() ? 0 : 2] += p.requests()[k];
                    sums[p.canary() ? 1 : 3] += p.errors()[k];
                }
            }

            r = check.update(r == null ? null : r.state(), Counts.of(sums[0], sums[1]), Counts.of(sums[2], sums[3]));
            if (r.decision() == SequentialDecision.ROLLBACK) {
                return new Outcome(true, t, false, null);
            }
        }

        return new Outcome(false, setup.stageSeconds(), false, null);
    }

    private static Outcome aligned(SequentialErrorCheck check, Setup setup, List<PodSamples> pods) {
        CounterAlignment alignment = new CounterAlignment(List.of(Signal.errors()));
        SequentialState state = null;
        long marginMillis = 300000L;

        for (int t = 30; t <= setup.stageSeconds(); t += 30) {
            long now = t * 1000L;
            Long cut = state == null ? null : state.lastCutMillis();
            long windowStart = cut == null ? now - marginMillis : cut - marginMillis;
            Map<String, List<CounterSeries>> canary = new HashMap<>();
            Map<String, List<CounterSeries>> stable = new HashMap<>();

            for (PodSamples p : pods) {
                Map<String, List<CounterSeries>> side = p.canary() ? canary : stable;
                side.computeIfAbsent("requests", k -> new ArrayList<>()).add(series(p, p.requests(), windowStart, now, Map.of()));
                side.computeIfAbsent("errors", k -> new ArrayList<>()).add(series(p, p.errors(), windowStart, now, Map.of("code", "500")));
            }

            AlignedReading reading = alignment.align(canary, stable, cut, windowStart, now);
            if (reading instanceof Unusable u) {
                return new Outcome(false, t, true, u.message());
            }

            SequentialResult r = check.update(state, reading);
            state = r.state();
            if (r.decision() == SequentialDecision.ROLLBACK) {
                return new Outcome(true, t, false, null);
            }
        }

        return new Outcome(false, setup.stageSeconds(), false, null);
    }

    private static CounterSeries series(PodSamples p, double[] values, long from, long to, Map<String, String> extra) {
        List<CounterSample> samples = new ArrayList<>();

        for (int j = 0; j < p.times().length && p.times()[j] <= to; j++) {
            if (p.times()[j] > from) {
                samples.add(new CounterSample(p.times()[j], values[j]));
            }
        }

        Map<String, String> labels = new HashMap<>(extra);
        labels.put("pod", p.name().replace("-destination", ""));
        labels.put("reporter", p.name().endsWith("-destination") ? "destination" : "source");
        return new CounterSeries(labels, samples);
    }

    public record Incident(double startSeconds, double durationSeconds, double errorAdd) {
    }

    public record Outcome(boolean rolledBack, int decidedAtSeconds, boolean unusable, String unusableMessage) {
    }

    record PodSamples(String name, boolean canary, long[] times, double[] requests, double[] errors) {
    }

    /** How the check reads the counters. */
    public enum Reading {
        ALIGNED_RAW_SAMPLES,
        SUMMED_LATEST_SAMPLES;
    }

    public record Restart(int pod, double atSeconds) {
    }

    public record Setup(
        double totalRps,
        int canaryPods,
        int stablePods,
        double canaryShare,
        double baseErrorRate,
        double canaryRateRatio,
        int scrapeSeconds,
        int stageSeconds,
        Incident incident,
        Restart restart,
        boolean doubleReported
    ) {
    }
}
