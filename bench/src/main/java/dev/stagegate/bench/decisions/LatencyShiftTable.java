package dev.stagegate.bench.decisions;

import dev.stagegate.analysis.stats.AlignedReading;
import dev.stagegate.analysis.stats.IntervalCounts;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialDecision;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.sandbox.PoissonSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A latency shift, judged two ways on the same simulated histograms: the sequential latency check (the operator's
 * {@link SequentialErrorCheck} on the share of requests slower than chosen buckets, canary against stable) and a
 * fixed p99 threshold re-checked every interval (histogram_quantile over the last minute, as a Prometheus check with
 * max does). Reports false rollbacks when the canary is as fast as stable, and how often and how fast a slower canary
 * is caught.
 *
 * <p>Latencies are log-normal (median 120 ms, sigma 0.6: p99 about 485 ms), bucketed like a client library's default
 * histogram. Every 15 s both revisions share a jitter of the median (sigma 0.15: a busy database slows everyone), and
 * the canary's latencies are multiplied by the shift from the start of the stage. Requests per bucket are Poisson.
 */
final class LatencyShiftTable {
    static final double[] LE = {0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
    static final double[] SHIFTS = {1.0, 1.1, 1.25, 1.5, 2.0};
    static final int[] CANARY_RPS = {5, 50};
    static final double MEDIAN = 0.12;
    static final double SIGMA = 0.6;
    static final double SHARED_JITTER = 0.15;
    static final double CANARY_SHARE = 0.1;
    static final int TICK = 15;
    static final int STAGE_SECONDS = 30 * 60;
    /** The true p99 of the stable revision's latency, without jitter. */
    static final double BASELINE_P99 = MEDIAN * Math.exp(SIGMA * 2.326348);

    /** One way of judging latency, replayed on a run's histograms: the second a rollback was decided, or -1. */
    interface Judge {
        String name();

        String settings();

        int rollbackAt(Histograms h);
    }

    /** Cumulative bucket counts (the last bucket is +Inf) per tick, index 0 all zero. */
    record Histograms(long[][] canary, long[][] stable) {
        long canaryCount(int tick) {
            return canary[tick][LE.length];
        }
    }

    record Row(String judge, int canaryRps, double shift, int runs, int rolledBack, List<Integer> rollbackSeconds) {
    }

    static List<Judge> judges() {
        return List.of(
            new SequentialLatency(new String[] {"0.5"}),
            new SequentialLatency(new String[] {"0.25", "0.5", "1"}),
            new FixedP99(1.2, 1),
            new FixedP99(1.2, 3),
            new FixedP99(2, 1),
            new FixedP99(2, 3));
    }

    static List<Row> measure(long seed, int runs) {
        List<Judge> judges = judges();
        List<Row> rows = new ArrayList<>();
        for (int rps : CANARY_RPS) {
            for (double shift : SHIFTS) {
                long cell = seed * 1_000_003L + rps * 10_007L + Math.round(shift * 1000);
                int[][] outcomes = IntStream.range(0, runs).parallel().mapToObj(i -> {
                    Histograms h = generate(new SplittableRandom(cell * 7_919L + i), rps, shift);
                    return judges.stream().mapToInt(j -> j.rollbackAt(h)).toArray();
                }).toArray(int[][]::new);
                for (int j = 0; j < judges.size(); j++) {
                    List<Integer> seconds = new ArrayList<>();
                    for (int[] o : outcomes) {
                        if (o[j] >= 0) {
                            seconds.add(o[j]);
                        }
                    }
                    rows.add(new Row(judges.get(j).name(), rps, shift, runs, seconds.size(), seconds));
                }
            }
        }
        return rows;
    }

    static Histograms generate(SplittableRandom random, int canaryRps, double shift) {
        int ticks = STAGE_SECONDS / TICK;
        long[][] canary = new long[ticks + 1][LE.length + 1];
        long[][] stable = new long[ticks + 1][LE.length + 1];
        double stableRps = canaryRps * (1 - CANARY_SHARE) / CANARY_SHARE;
        PoissonSampler poisson = new PoissonSampler(random::nextDouble);
        for (int t = 1; t <= ticks; t++) {
            double jitter = Math.exp(SHARED_JITTER * gaussian(random) - SHARED_JITTER * SHARED_JITTER / 2);
            record(poisson, canary, t, canaryRps * TICK, MEDIAN * jitter * shift);
            record(poisson, stable, t, stableRps * TICK, MEDIAN * jitter);
        }
        return new Histograms(canary, stable);
    }

    private static void record(PoissonSampler poisson, long[][] cumulative, int t, double requests, double median) {
        double below = 0;
        long running = 0;
        for (int b = 0; b <= LE.length; b++) {
            double upTo = b == LE.length ? 1 : normalCdf((Math.log(LE[b]) - Math.log(median)) / SIGMA);
            running += poisson.sample(requests * Math.max(0, upTo - below));
            below = upTo;
            // Bucket b counts every request with latency <= LE[b] (the last bucket is +Inf: all of them).
            cumulative[t][b] = cumulative[t - 1][b] + running;
        }
    }

    /** The sequential latency check every 30 s on the slower-than shares of the chosen buckets, alpha 1%. */
    static final class SequentialLatency implements Judge {
        private static final int INTERVAL = 30;
        private final String[] slowerThan;
        private final int[] buckets;
        private final SequentialErrorCheck check;

        SequentialLatency(String[] slowerThan) {
            this.slowerThan = slowerThan;
            this.buckets = new int[slowerThan.length];
            for (int i = 0; i < slowerThan.length; i++) {
                buckets[i] = indexOf(Double.parseDouble(slowerThan[i]));
            }
            this.check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01, 0.05), slowerThan.length);
        }

        @Override
        public String name() {
            return "Seq. latency le=" + String.join(",", slowerThan);
        }

        @Override
        public String settings() {
            return "sequentialLatency slowerThan [" + String.join(", ", slowerThan) + "], interval 30s,"
                    + " maxRelativeIncrease 0.2, falseRollbackRate 0.01 over all buckets; ends the stage at NO_WORSE";
        }

        @Override
        public int rollbackAt(Histograms h) {
            SequentialState state = check.update(null, new AlignedReading.Baseline(0, 0, TICK * 1000L)).state();
            for (int s = INTERVAL; s <= STAGE_SECONDS; s += INTERVAL) {
                int from = (s - INTERVAL) / TICK;
                int to = s / TICK;
                double[] canaryBad = new double[buckets.length];
                double[] stableBad = new double[buckets.length];
                for (int i = 0; i < buckets.length; i++) {
                    canaryBad[i] = slower(h.canary(), from, to, buckets[i]);
                    stableBad[i] = slower(h.stable(), from, to, buckets[i]);
                }
                IntervalCounts counts = new IntervalCounts(total(h.canary(), from, to), total(h.stable(), from, to),
                        canaryBad, stableBad);
                SequentialResult r = check.update(state,
                        new AlignedReading.Interval((s - INTERVAL) * 1000L, s * 1000L, 0, TICK * 1000L, counts, 0));
                state = r.state();
                if (r.decision() == SequentialDecision.ROLLBACK) {
                    return s;
                }
                if (r.decision() == SequentialDecision.NO_WORSE) {
                    return -1;
                }
            }
            return -1;
        }

        private static double total(long[][] c, int from, int to) {
            return c[to][LE.length] - c[from][LE.length];
        }

        private static double slower(long[][] c, int from, int to, int bucket) {
            return total(c, from, to) - (c[to][bucket] - c[from][bucket]);
        }
    }

    /**
     * histogram_quantile(0.99) of the canary over the last minute, every minute, against a fixed multiple of the
     * baseline p99 (known exactly here, which favours the threshold).
     */
    static final class FixedP99 implements Judge {
        private static final int WINDOW = 60;
        private static final int INTERVAL = 60;
        private final double factor;
        private final int failureLimit;
        private final double max;

        FixedP99(double factor, int failureLimit) {
            this.factor = factor;
            this.failureLimit = failureLimit;
            this.max = factor * BASELINE_P99;
        }

        @Override
        public String name() {
            return String.format(Locale.ROOT, "p99 <= %.0f ms, failureLimit %d", max * 1000, failureLimit);
        }

        @Override
        public String settings() {
            return String.format(Locale.ROOT, "histogram_quantile(0.99, rate(..._bucket[1m])) <= %.0f ms (%.1f x the"
                    + " baseline p99 of %.0f ms), every %ds, failureLimit %d consecutive; no requests = NoData",
                    max * 1000, factor, BASELINE_P99 * 1000, INTERVAL, failureLimit);
        }

        @Override
        public int rollbackAt(Histograms h) {
            int streak = 0;
            for (int s = INTERVAL; s <= STAGE_SECONDS; s += INTERVAL) {
                double p99 = quantile(0.99, h.canary(), Math.max(0, s - WINDOW) / TICK, s / TICK);
                if (Double.isNaN(p99)) {
                    continue;
                }
                streak = p99 <= max ? 0 : streak + 1;
                if (streak >= failureLimit) {
                    return s;
                }
            }
            return -1;
        }
    }

    /** Prometheus' histogram_quantile: linear within the bucket; the highest finite le when in +Inf; NaN if empty. */
    static double quantile(double q, long[][] c, int from, int to) {
        double total = c[to][LE.length] - c[from][LE.length];
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double previous = 0;
        for (int b = 0; b < LE.length; b++) {
            double count = c[to][b] - c[from][b];
            if (count >= rank) {
                double lower = b == 0 ? 0 : LE[b - 1];
                double inBucket = count - previous;
                return inBucket <= 0 ? LE[b] : lower + (LE[b] - lower) * (rank - previous) / inBucket;
            }
            previous = count;
        }
        return LE[LE.length - 1];
    }

    static void print(StringBuilder out, List<Row> rows) {
        line(out, "== Latency shift: sequential latency check vs a fixed p99 threshold re-checked every interval ==");
        line(out, "   30-minute stage, canary 10%% of traffic; latency log-normal (median 120 ms, p99 %.0f ms) with a shared"
                + " 15 s jitter (sigma 0.15); the canary's latencies x shift from the start.", BASELINE_P99 * 1000);
        line(out, "   x1.0 = canary as fast as stable: every rollback is false. Other columns: caught %% / median minutes"
                + " to the rollback (a stage ended early at NO_WORSE counts as not caught).");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-30s | %6s | %-22s", "judge", "canary",
                "x1.0 false RB [95% CI]"));
        for (double shift : SHIFTS) {
            if (shift != 1.0) {
                header.append(String.format(Locale.ROOT, " | %-15s", String.format(Locale.ROOT, "x%.2f caught/min", shift)));
            }
        }
        line(out, "%s", header);
        line(out, "%s", "-".repeat(header.length()));
        for (Judge judge : judges()) {
            for (int rps : CANARY_RPS) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-30s | %2d r/s", judge.name(), rps));
                for (double shift : SHIFTS) {
                    Row r = find(rows, judge.name(), rps, shift);
                    if (shift == 1.0) {
                        double[] ci = PolicyStats.wilson(r.rolledBack(), r.runs());
                        row.append(String.format(Locale.ROOT, " | %-22s", String.format(Locale.ROOT, "%s [%s-%s]",
                                pct(PolicyStats.ratio(r.rolledBack(), r.runs())), pct(ci[0]), pct(ci[1]))));
                    } else {
                        double median = PolicyStats.quantile(r.rollbackSeconds(), 0.5) / 60.0;
                        row.append(String.format(Locale.ROOT, " | %-15s", String.format(Locale.ROOT, "%s / %s",
                                pct(PolicyStats.ratio(r.rolledBack(), r.runs())),
                                Double.isNaN(median) ? "-" : String.format(Locale.ROOT, "%.1f", median))));
                    }
                }
                line(out, "%s", row);
            }
        }
        line(out, "   runs per cell: %d", rows.isEmpty() ? 0 : rows.get(0).runs());
        for (Judge judge : judges()) {
            line(out, "   %-30s %s", judge.name(), judge.settings());
        }
    }

    private static Row find(List<Row> rows, String judge, int rps, double shift) {
        return rows.stream().filter(r -> r.judge().equals(judge) && r.canaryRps() == rps && r.shift() == shift)
                .findFirst().orElseThrow();
    }

    private static int indexOf(double le) {
        for (int i = 0; i < LE.length; i++) {
            if (LE[i] == le) {
                return i;
            }
        }
        throw new IllegalArgumentException("no bucket le=" + le);
    }

    /** Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
