package dev.stagegate.bench.decisions;

import dev.stagegate.analysis.stats.ScrapedStage;
import dev.stagegate.analysis.stats.ScrapedStage.Outcome;
import dev.stagegate.analysis.stats.ScrapedStage.Reading;
import dev.stagegate.analysis.stats.ScrapedStage.Setup;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * False rollbacks of the sequential errors check at the H0 boundary when every pod is its own scrape target, before
 * (summing each pod's latest sample) and after (raw samples aligned on a common cut). Both readings see the same
 * simulated samples, so the difference is the reading alone.
 */
final class ScrapeTimingTable {
    static final int[] SCRAPE_SECONDS = {15, 30, 60};
    static final double ALPHA = 0.01;

    private ScrapeTimingTable() {
    }

    /** The populations measured: the per-pod timing cases. */
    enum Case {
        BOUNDARY_INCIDENT("H0 boundary, 50-1000 req/s, 5-50% canary, shared incident +1-20 pt, 1/3 pod restarts",
                ScrapedStage::boundaryWithIncident),
        BUSY_BIG_INCIDENT("H0 boundary, 500 req/s, 10% canary, shared incident +20 pt",
                ScrapedStage::busyBoundaryWithBigIncident),
        DOUBLE_REPORTED("H0 boundary, every request reported twice (mesh source + destination)",
                ScrapedStage::doubleReported);

        final String description;
        final BiFunction<ScrapedStage, Integer, Setup> setup;

        Case(String description, BiFunction<ScrapedStage, Integer, Setup> setup) {
            this.description = description;
            this.setup = setup;
        }
    }

    record Row(Case population, int scrapeSeconds, int runs, int summedRollbacks, int alignedRollbacks,
            int alignedRefused) {
    }

    static List<Row> measure(long seed, int runs) {
        SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, ALPHA));
        List<Row> rows = new ArrayList<>();
        for (Case population : Case.values()) {
            for (int scrape : SCRAPE_SECONDS) {
                int[][] outcomes = IntStream.range(0, runs).parallel().mapToObj(i -> {
                    ScrapedStage draw = new ScrapedStage(
                            seed * 1_000_003L + population.ordinal() * 100_000_007L + scrape * 1_000_000L + i);
                    Setup setup = population.setup.apply(draw, scrape);
                    // Same sample seed for both readings: they see identical scrapes.
                    long samples = draw.integer(0, Integer.MAX_VALUE - 1);
                    Outcome summed = new ScrapedStage(samples).run(check, setup, Reading.SUMMED_LATEST_SAMPLES);
                    Outcome aligned = new ScrapedStage(samples).run(check, setup, Reading.ALIGNED_RAW_SAMPLES);
                    return new int[] {summed.rolledBack() ? 1 : 0, aligned.rolledBack() ? 1 : 0, aligned.unusable() ? 1 : 0};
                }).toArray(int[][]::new);
                int[] sums = new int[3];
                for (int[] o : outcomes) {
                    for (int k = 0; k < 3; k++) {
                        sums[k] += o[k];
                    }
                }
                rows.add(new Row(population, scrape, runs, sums[0], sums[1], sums[2]));
            }
        }
        return rows;
    }

    static void print(StringBuilder out, List<Row> rows) {
        line(out, "== Per-pod staggered scrapes: false rollbacks of the errors check (alpha 1%%), before and after ==");
        line(out, "   30-minute stages checked every 30 s; every pod its own target scraped at its own offset.");
        line(out, "   before = sums of each pod's latest sample; after = raw samples aligned on a common cut "
                + "(refused = reported as an Error, never a rollback)");
        line(out, "%-14s | %6s | %6s | %-22s | %-22s | %s",
                "population", "scrape", "runs", "before [95% CI]", "after [95% CI]", "after refused");
        line(out, "%s", "-".repeat(100));
        for (Row r : rows) {
            line(out, "%-14s | %5ds | %6d | %-22s | %-22s | %s", shortName(r.population()), r.scrapeSeconds(), r.runs(),
                    rate(r.summedRollbacks(), r.runs()), rate(r.alignedRollbacks(), r.runs()),
                    pct(PolicyStats.ratio(r.alignedRefused(), r.runs())));
        }
        for (Case c : Case.values()) {
            line(out, "   %-14s %s", shortName(c), c.description);
        }
    }

    private static String shortName(Case c) {
        return switch (c) {
            case BOUNDARY_INCIDENT -> "boundary+inc";
            case BUSY_BIG_INCIDENT -> "500rps +20pt";
            case DOUBLE_REPORTED -> "double-count";
        };
    }

    private static String rate(int count, int runs) {
        double[] ci = PolicyStats.wilson(count, runs);
        return String.format(Locale.ROOT, "%s [%s-%s]", pct(PolicyStats.ratio(count, runs)), pct(ci[0]), pct(ci[1]));
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
