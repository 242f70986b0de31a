package dev.stagegate.bench.decisions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays seeded canary/stable request traces through several rollout policies on the same simulated clock and
 * prints how often each rolls back bad and good releases, how fast, and how many failed requests the bad canary
 * served first. Writes a plot of blast radius against false-rollback rate. A program, not a test: nothing here
 * asserts; the "aims" block reports whether the sequential check met its targets on this run.
 */
@Command(name = "decision-benchmark", mixinStandardHelpOptions = true,
        description = "Compare rollout decision policies on simulated canary traces.")
public final class DecisionBenchmark implements Callable<Integer> {

    static final String SEQUENTIAL = "Stagegate sequential 30s";
    static final String SEQUENTIAL_ERRORS_ONLY = "Seq. errors only, a=0.01";
    static final String FLAGGER_TUNED = "Flagger-style (3x base)";

    @Option(names = "--quick", description = "Few traces, for a smoke run (seconds).")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of all traces (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/decisions",
            description = "Directory for the plot (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--stage-minutes", defaultValue = "30", description = "Stage length (default: ${DEFAULT-VALUE}).")
    int stageMinutes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DecisionBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        System.out.print(run());
        return 0;
    }

    static List<Policy> policies() {
        return List.of(
                FlaggerStylePolicy.docsDefaults(),
                FlaggerStylePolicy.tunedToThreeTimesBaseline(),
                new ArgoStylePolicy(),
                new KayentaStylePolicy(0.25, 0.98),
                new ThresholdPolicy(),
                new BaselinePolicy(0.5, null),
                new BaselinePolicy(0.5, 0.005),
                new SequentialPolicy("Stagegate sequential 15s", 15, true, 0.005),
                new SequentialPolicy(SEQUENTIAL, 30, true, 0.005),
                new SequentialPolicy("Stagegate sequential 60s", 60, true, 0.005),
                new SequentialPolicy(SEQUENTIAL_ERRORS_ONLY, 30, false, 0.01));
    }

    /** Policies in the main tables and the plot; the errors-only variant is for the H0-boundary table. */
    private static boolean mainPolicy(Policy p) {
        return !p.name().equals(SEQUENTIAL_ERRORS_ONLY);
    }

    private int traces(Population population) {
        int full = switch (population) {
            case MIXED -> 8000;
            case AIM -> 4000;
            case BOUNDARY, BOUNDARY_JITTER -> 4000;
        };
        return quick ? full / 20 : full;
    }

    /** Runs everything, writes the plot and returns the printed report. */
    String run() throws IOException {
        long started = System.nanoTime();
        int stageSeconds = stageMinutes * 60;
        List<Policy> policies = policies();
        Map<Population, List<Replay>> replays = new EnumMap<>(Population.class);
        for (Population population : Population.values()) {
            replays.put(population, IntStream.range(0, traces(population)).parallel()
                    .mapToObj(i -> Replay.of(population.sample(seed, i), policies, stageSeconds))
                    .toList());
        }

        StringBuilder report = new StringBuilder();
        line(report, "Decision benchmark: %d-minute canary stage, counters scraped every %d s, seed %d%s",
                stageMinutes, Trace.TICK_SECONDS, seed, quick ? " (QUICK: few traces, wide error bars)" : "");
        line(report, "Failed request = 5xx or slower than 500 ms. Blast radius = failed requests served by a bad "
                + "canary from the stage start until the policy's decision (rollback, or promotion at the end).");
        line(report, "");
        line(report, "Policies (exact settings):");
        for (Policy p : policies) {
            line(report, "  %-28s %s", p.name(), p.settings());
        }
        for (Population population : List.of(Population.MIXED, Population.AIM)) {
            line(report, "");
            mainTable(report, population, replays.get(population), policies);
        }
        for (Population population : List.of(Population.BOUNDARY, Population.BOUNDARY_JITTER)) {
            line(report, "");
            boundaryTable(report, population, replays.get(population), policies);
        }
        line(report, "");
        whereItLoses(report, replays.get(Population.MIXED), policies);
        line(report, "");
        aims(report, replays, policies);

        Path plot = writePlot(replays, policies);
        line(report, "");
        line(report, "Plot: %s", plot.toAbsolutePath().normalize());
        line(report, "Run time: %.1f s", (System.nanoTime() - started) / 1e9);
        return report.toString();
    }

    private static Map<String, PolicyStats> stats(List<Replay> replays, List<Policy> policies,
            Predicate<Replay> filter) {
        Map<String, PolicyStats> stats = new java.util.LinkedHashMap<>();
        for (Policy p : policies) {
            stats.put(p.name(), new PolicyStats());
        }
        for (Replay r : replays) {
            if (!filter.test(r)) {
                continue;
            }
            for (int i = 0; i < policies.size(); i++) {
                stats.get(policies.get(i).name()).add(r.scenario(), r.outcomes()[i], r.blastRadius()[i],
                        r.excessBlastRadius()[i]);
            }
        }
        return stats;
    }

    private static void mainTable(StringBuilder out, Population population, List<Replay> replays,
            List<Policy> policies) {
        Map<String, PolicyStats> stats = stats(replays, policies, r -> true);
        PolicyStats any = stats.values().iterator().next();
        line(out, "== %s ==", population.description);
        line(out, "   %d bad releases, %d good releases (%d without incident, %d with a shared incident); "
                + "blast = failed canary requests until the decision, excess = those beyond the stable revision's rates",
                any.bad, any.good(), any.goodClean, any.goodIncident);
        line(out, "%-28s | %7s | %11s | %7s | %7s | %8s | %8s | %-21s | %11s", "policy", "bad RB", "bad decide",
                "blast", "excess", "false RB", "false RB", "false RB all", "good promo");
        line(out, "%-28s | %7s | %11s | %7s | %7s | %8s | %8s | %-21s | %11s", "", "", "med/p90 min", "mean",
                "mean", "clean", "incident", "[95% CI]", "med/p90 min");
        line(out, "%s", "-".repeat(140));
        for (Policy p : policies) {
            if (!mainPolicy(p)) {
                continue;
            }
            PolicyStats s = stats.get(p.name());
            double[] ci = PolicyStats.wilson(s.goodRolledBack(), s.good());
            line(out, "%-28s | %7s | %11s | %7.0f | %7.0f | %8s | %8s | %-21s | %11s", p.name(),
                    pct(s.detectionRate()), minutes(s.badDecisionSeconds), s.meanBlast(), s.meanExcessBlast(),
                    pct(PolicyStats.ratio(s.goodCleanRolledBack, s.goodClean)),
                    pct(PolicyStats.ratio(s.goodIncidentRolledBack, s.goodIncident)),
                    String.format(Locale.ROOT, "%s [%s-%s]", pct(s.falseRollbackRate()), pct(ci[0]), pct(ci[1])),
                    minutes(s.goodPromotionSeconds));
        }
    }

    private static void boundaryTable(StringBuilder out, Population population, List<Replay> replays,
            List<Policy> policies) {
        Map<String, PolicyStats> stats = stats(replays, policies, r -> true);
        line(out, "== %s ==", population.description);
        line(out, "   %d canaries; a rollback here is a false rollback for the sequential checks (H0 holds).",
                replays.size());
        line(out, "%-28s | %-24s | %s", "policy", "rolled back [95% CI]", "bound");
        line(out, "%s", "-".repeat(72));
        for (Policy p : policies) {
            PolicyStats s = stats.get(p.name());
            double[] ci = PolicyStats.wilson(s.goodRolledBack(), s.good());
            String bound = p.name().equals(SEQUENTIAL_ERRORS_ONLY) ? "<= 1% (alpha)"
                    : p.name().startsWith("Stagegate sequential") ? "<= 1% (2 checks x 0.5%)" : "-";
            line(out, "%-28s | %-24s | %s", p.name(),
                    String.format(Locale.ROOT, "%s [%s-%s]", pct(s.falseRollbackRate()), pct(ci[0]), pct(ci[1])),
                    bound);
        }
    }

    /** Detection of error regressions by canary traffic and size of the increase, with the evidence that existed. */
    private static void whereItLoses(StringBuilder out, List<Replay> mixed, List<Policy> policies) {
        double[] rpsEdges = {0, 0.1, 1, 10, 1000};
        String[] rpsNames = {"canary < 0.1 req/s", "canary 0.1-1 req/s", "canary 1-10 req/s", "canary >= 10 req/s"};
        double[] deltaEdges = {0, 0.01, 0.03, 1};
        String[] deltaNames = {"+0.2-1 pt", "+1-3 pt", "+3-10 pt"};
        int seq = indexOf(policies, SEQUENTIAL);
        int flagger = indexOf(policies, FLAGGER_TUNED);
        int baseline = indexOf(policies, "Stagegate baseline");
        line(out, "== Where the sequential check loses: error regressions (MIXED) by canary traffic and increase ==");
        line(out, "   cell: sequential 30s / Flagger 3x base / Stagegate baseline rolled back; n; median excess "
                + "failed canary requests the whole stage produced (the evidence that exists)");
        line(out, "   last column: the same policies' false-rollback rate on good releases in that traffic band");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", ""));
        for (String d : deltaNames) {
            header.append(String.format(Locale.ROOT, " | %-31s", d));
        }
        header.append(" | good releases rolled back");
        line(out, "%s", header);
        for (int a = 0; a < rpsNames.length; a++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s", rpsNames[a]));
            for (int b = 0; b < deltaNames.length; b++) {
                int ra = a;
                int rb = b;
                List<Replay> cell = mixed.stream()
                        .filter(r -> r.scenario().kind() == Scenario.Kind.BAD_ERRORS)
                        .filter(r -> within(r.scenario().totalRps() * r.scenario().canaryShare(), rpsEdges, ra))
                        .filter(r -> within(r.scenario().errorIncrease(), deltaEdges, rb))
                        .toList();
                if (cell.isEmpty()) {
                    row.append(String.format(Locale.ROOT, " | %-31s", "-"));
                    continue;
                }
                List<Integer> excess = new ArrayList<>();
                cell.forEach(r -> excess.add((int) Math.min(Integer.MAX_VALUE, r.expectedExcessFailures())));
                row.append(String.format(Locale.ROOT, " | %4s/%4s/%4s n=%-4d ex=%-6.0f", pct0(rolledBack(cell, seq)),
                        pct0(rolledBack(cell, flagger)), pct0(rolledBack(cell, baseline)), cell.size(),
                        PolicyStats.quantile(excess, 0.5)));
            }
            int ra = a;
            List<Replay> good = mixed.stream().filter(r -> !r.scenario().bad())
                    .filter(r -> within(r.scenario().totalRps() * r.scenario().canaryShare(), rpsEdges, ra))
                    .toList();
            row.append(good.isEmpty() ? " | -" : String.format(Locale.ROOT, " | %4s/%4s/%4s n=%d",
                    pct0(rolledBack(good, seq)), pct0(rolledBack(good, flagger)), pct0(rolledBack(good, baseline)),
                    good.size()));
            line(out, "%s", row);
        }
        List<Replay> small = mixed.stream().filter(r -> r.scenario().kind() == Scenario.Kind.BAD_ERRORS)
                .filter(r -> r.scenario().errorIncrease() < deltaEdges[1]).toList();
        long insideAllowance = small.stream()
                .filter(r -> r.scenario().errorIncrease() <= 0.2 * r.scenario().baseErrorRate()).count();
        line(out, "   %s of the +0.2-1 pt regressions raise the error rate by at most 20%% (relative risk <= 1.2): "
                + "inside the sequential check's allowance, so not rolling them back is by design",
                pct(PolicyStats.ratio((int) insideAllowance, small.size())));
    }

    private void aims(StringBuilder out, Map<Population, List<Replay>> replays, List<Policy> policies) {
        Map<String, PolicyStats> aim = stats(replays.get(Population.AIM), policies, r -> true);
        PolicyStats seq = aim.get(SEQUENTIAL);
        PolicyStats flagger = aim.get(FLAGGER_TUNED);
        double ratio = flagger.meanBlast() / seq.meanBlast();
        String smallest = policies.stream().filter(DecisionBenchmark::mainPolicy)
                .filter(p -> !p.name().startsWith("Stagegate sequential"))
                .filter(p -> aim.get(p.name()).meanBlast() <= seq.meanBlast())
                .map(Policy::name).reduce((x, y) -> x + ", " + y).orElse("none");
        double[] falseCi = PolicyStats.wilson(seq.goodRolledBack(), seq.good());
        PolicyStats boundary = stats(replays.get(Population.BOUNDARY), policies, r -> true).get(SEQUENTIAL_ERRORS_ONLY);
        double[] boundaryCi = PolicyStats.wilson(boundary.goodRolledBack(), boundary.good());
        line(out, "== Aims (reported, not asserted), on the AIM population unless noted ==");
        line(out, "  sequential rolls back >= 95%% of fivefold regressions: %s (%s)",
                verdict(seq.detectionRate() >= 0.95), pct(seq.detectionRate()));
        line(out, "  sequential false rollbacks <= 1%% incl. shared incidents: %s (%s, 95%% CI %s-%s)",
                verdict(seq.falseRollbackRate() <= 0.01), pct(seq.falseRollbackRate()), pct(falseCi[0]),
                pct(falseCi[1]));
        line(out, "  mean blast radius >= 5x smaller than Flagger-style tuned to 3x baseline: %s (%.0f vs %.0f, %.1fx)",
                verdict(ratio >= 5), seq.meanBlast(), flagger.meanBlast(), ratio);
        line(out, "    same on excess failures (beyond stable's rates): %.0f vs %.0f, %.1fx", seq.meanExcessBlast(),
                flagger.meanExcessBlast(), flagger.meanExcessBlast() / seq.meanExcessBlast());
        Map<String, PolicyStats> clean = stats(replays.get(Population.AIM), policies, r -> !r.scenario().hasIncident());
        line(out, "    same on bad releases without a shared incident: %.0f vs %.0f, %.1fx",
                clean.get(SEQUENTIAL).meanBlast(), clean.get(FLAGGER_TUNED).meanBlast(),
                clean.get(FLAGGER_TUNED).meanBlast() / clean.get(SEQUENTIAL).meanBlast());
        line(out, "  mean blast radius smaller than every non-sequential policy: %s (policies at or below it: %s)",
                verdict("none".equals(smallest)), smallest);
        PolicyStats every15 = aim.get("Stagegate sequential 15s");
        line(out, "    evaluated every scrape (15s) instead: blast %.0f vs %.0f, %.1fx; excess %.0f vs %.0f, %.1fx",
                every15.meanBlast(), flagger.meanBlast(), flagger.meanBlast() / every15.meanBlast(),
                every15.meanExcessBlast(), flagger.meanExcessBlast(),
                flagger.meanExcessBlast() / every15.meanExcessBlast());
        for (Population population : List.of(Population.MIXED, Population.AIM)) {
            PolicyStats s = stats(replays.get(population), policies, r -> true).get(SEQUENTIAL);
            List<Integer> early = s.goodPromotionSeconds.stream().filter(t -> t < stageMinutes * 60).toList();
            line(out, "  %s: good releases promoted early (both checks NO_WORSE): %s, median at %s min",
                    population, pct(PolicyStats.ratio(early.size(), s.good())),
                    early.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", PolicyStats.quantile(early, 0.5) / 60));
        }
        line(out, "  canaries exactly at H0 (relative risk 1.2), errors check alone at alpha = 1%%: rolled back %s "
                + "(95%% CI %s-%s, bound 1%%): %s", pct(boundary.falseRollbackRate()), pct(boundaryCi[0]),
                pct(boundaryCi[1]), verdict(boundary.falseRollbackRate() <= 0.01));
    }

    private Path writePlot(Map<Population, List<Replay>> replays, List<Policy> policies) throws IOException {
        SvgScatterPlot plot = new SvgScatterPlot("Blast radius vs false rollbacks (" + stageMinutes + "-min stage)",
                "false-rollback rate of good releases, incl. shared incidents (%)",
                "mean failed requests served by bad canaries (log)");
        String[] colours = {"#1f77b4", "#d62728"};
        int c = 0;
        for (Population population : List.of(Population.MIXED, Population.AIM)) {
            Map<String, PolicyStats> stats = stats(replays.get(population), policies, r -> true);
            List<SvgScatterPlot.Point> points = new ArrayList<>();
            for (Policy p : policies) {
                if (mainPolicy(p)) {
                    PolicyStats s = stats.get(p.name());
                    points.add(new SvgScatterPlot.Point(p.name(), 100 * s.falseRollbackRate(), s.meanBlast()));
                }
            }
            String name = population == Population.MIXED ? "all releases (MIXED)" : "20-500 req/s, 10%, 5x (AIM)";
            plot.series(name, c == 0 ? "circle" : "square", colours[c], points);
            c++;
        }
        Files.createDirectories(out);
        Path file = out.resolve("blast-radius-vs-false-rollbacks.svg");
        Files.writeString(file, plot.render());
        return file;
    }

    private static double rolledBack(List<Replay> cell, int policy) {
        return (double) cell.stream().filter(r -> r.outcomes()[policy].rolledBack()).count() / cell.size();
    }

    private static boolean within(double value, double[] edges, int bucket) {
        return value >= edges[bucket] && value < edges[bucket + 1];
    }

    private static int indexOf(List<Policy> policies, String name) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static String minutes(List<Integer> seconds) {
        if (seconds.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f/%.1f", PolicyStats.quantile(seconds, 0.5) / 60,
                PolicyStats.quantile(seconds, 0.9) / 60);
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    private static String pct0(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
