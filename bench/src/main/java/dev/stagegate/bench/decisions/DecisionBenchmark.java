package dev.stagegate.bench.decisions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays seeded canary/stable request traces through several rollout policies on the same simulated clock and
 * prints how often each rolls back bad and good releases, how fast, and how many failed requests the bad canary
 * served first (a bad canary that is promoted is charged 30 more minutes at full traffic). Sweeps the anchor
 * policies' settings into trade-off curves, so Stagegate is compared curve against curve rather than against one
 * chosen point, and measures per-pod scrape timing ({@link ScrapeTimingTable}). Writes the plots. A program, not a
 * test: nothing here asserts; the "aims" block reports whether the sequential check met its targets on this run.
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

    @Option(names = "--latency-only", description = "Print only the latency-shift table (seconds).")
    boolean latencyOnly;

    @Option(names = "--stage-minutes", defaultValue = "30", description = "Stage length (default: ${DEFAULT-VALUE}).")
    int stageMinutes;

    static final String FLAGGER_CURVE = "Flagger-style 3x base: threshold 1-10, interval 30s-2m";
    static final String ARGO_CURVE = "Argo-style: failureLimit 0-3, interval 1-5m";
    static final String SEQUENTIAL_CURVE = "Stagegate sequential 30s: falseRollbackRate per check 0.05-5%";

    public static void main(String[] args) {
        System.exit(new CommandLine(new DecisionBenchmark()).execute(args));
    }

    public Integer call() throws IOException {
        if (latencyOnly) {
            StringBuilder report = new StringBuilder();
            LatencyShiftTable.print(report, LatencyShiftTable.measure(seed, latencyRuns()));
            System.out.print(report);
            return 0;
        }
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
            new SequentialPolicy("Stagegate sequential 30s", 30, true, 0.005),
            new SequentialPolicy("Stagegate sequential 60s", 60, true, 0.005),
            new SequentialPolicy("Seq. errors only, a=0.01", 30, false, 0.01)
        );
    }

    /**
     * Each anchor policy swept over its own settings, and Stagegate over its false-rollback rate: the families drawn
     * as trade-off curves (false rollbacks against mean blast radius).
     */
    static Map<String, List<Policy>> curves() {
        Map<String, List<Policy>> curves = new LinkedHashMap<>();
        List<Policy> flagger = new ArrayList<>();

        for (int interval : new int[]{30, 60, 120}) {
            for (int threshold : new int[]{1, 2, 3, 5, 10}) {
                flagger.add(FlaggerStylePolicy.sweep("Flagger 3x t" + threshold + " " + interval + "s", interval, threshold));
            }
        }

        curves.put("Flagger-style 3x base: threshold 1-10, interval 30s-2m", flagger);
        List<Policy> argo = new ArrayList<>();

        for (int interval : new int[]{60, 120, 300}) {
            for (int failureLimit : new int[]{0, 1, 2, 3}) {
                argo.add(new ArgoStylePolicy("Argo fl" + failureLimit + " " + interval + "s", interval, failureLimit));
            }
        }

        curves.put("Argo-style: failureLimit 0-3, interval 1-5m", argo);
        List<Policy> sequential = new ArrayList<>();

        for (double alpha : new double[]{5.0E-4, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05}) {
            sequential.add(new SequentialPolicy(String.format(Locale.ROOT, "Stagegate a=%.2g", alpha), 30, true, alpha));
        }

        curves.put("Stagegate sequential 30s: falseRollbackRate per check 0.05-5%", sequential);
        return curves;
    }

    /** The named policies plus every swept setting: all are replayed on the same traces. */
    static List<Policy> allPolicies() {
        List<Policy> all = new ArrayList<>(policies());
        curves().values().forEach(all::addAll);
        return all;
    }

    /** Policies in the main tables and the plot; the errors-only variant is for the H0-boundary table. */
    private static boolean mainPolicy(Policy p) {
        return !p.name().equals("Seq. errors only, a=0.01");
    }

    /** Runs per cell of the per-pod scrape timing table. */
    private int scrapeRuns() {
        return quick ? 40 : 1500;
    }

    /** Runs per cell of the latency-shift table. */
    private int latencyRuns() {
        return quick ? 40 : 1000;
    }

    private int traces(Population population) {
        int full = switch (population) {
            case MIXED -> 8000;
            case AIM -> 4000;
            case BOUNDARY, BOUNDARY_JITTER -> 4000;
        };
        return quick ? full / 20 : full;
    }

    /** Runs everything, writes the plots and returns the printed report. */
    String run() throws IOException {
        long started = System.nanoTime();
        int stageSeconds = stageMinutes * 60;
        List<Policy> policies = policies();
        List<Policy> all = allPolicies();
        Map<Population, List<Replay>> replays = new EnumMap<>(Population.class);

        for (Population population : Population.values()) {
            replays.put(
                population,
                IntStream.range(0, traces(population)).parallel().mapToObj(i -> Replay.of(population.sample(seed, i), all, stageSeconds)).toList()
            );
        }

        List<ScrapeTimingTable.Row> scrapeTiming = ScrapeTimingTable.measure(seed, scrapeRuns());
        StringBuilder report = new StringBuilder();
        line(
            report,
            "Decision benchmark: %d-minute canary stage, counters scraped every %d s, seed %d%s",
            stageMinutes,
            15,
            seed,
            quick ? " (QUICK: few traces, wide error bars)" : ""
        );
        line(
            report,
            "Failed request = 5xx or slower than 500 ms. Blast radius = failed requests served by a bad canary from the stage start until the policy's decision (rollback, or promotion at the end),"
        );
        line(report, "plus, for a bad canary promoted, %d minutes at full traffic at its stage failure ratio (\"until decision\" leaves that charge out).", 30);
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
        ScrapeTimingTable.print(report, scrapeTiming);
        line(report, "");
        LatencyShiftTable.print(report, LatencyShiftTable.measure(seed, latencyRuns()));

        for (Population population : List.of(Population.AIM, Population.MIXED)) {
            line(report, "");
            curvesTable(report, population, replays.get(population), all);
        }

        line(report, "");
        whereItLoses(report, replays.get(Population.MIXED), policies);
        line(report, "");
        aims(report, replays, all, scrapeTiming);
        Path plot = writePlot(replays, policies);
        line(report, "");
        line(report, "Plot: %s", plot.toAbsolutePath().normalize());

        for (Population population : List.of(Population.AIM, Population.MIXED)) {
            line(report, "Trade-off curves (%s): %s", population, writeCurves(population, replays.get(population), all).toAbsolutePath().normalize());
        }

        line(report, "Run time: %.1f s", (System.nanoTime() - started) / 1.0E9);
        return report.toString();
    }

    private static Map<String, PolicyStats> stats(List<Replay> replays, List<Policy> policies, Predicate<Replay> filter) {
        Map<String, PolicyStats> stats = new LinkedHashMap<>();

        for (Policy p : policies) {
            stats.put(p.name(), new PolicyStats());
        }

        for (Replay r : replays) {
            if (filter.test(r)) {
                for (int i = 0; i < policies.size(); i++) {
                    stats.get(policies.get(i).name()).add(r.scenario(), r.outcomes()[i], r.blastRadius()[i], r.blastBeforeDecision()[i], r.excessBlastRadius()[i]);
                }
            }
        }

        return stats;
    }

    private static void mainTable(StringBuilder out, Population population, List<Replay> replays, List<Policy> policies) {
        Map<String, PolicyStats> stats = stats(replays, policies, r -> true);
        PolicyStats any = stats.values().iterator().next();
        line(out, "== %s ==", population.description);
        line(
            out,
            "   %d bad releases, %d good releases (%d without incident, %d with a shared incident); blast = failed canary requests until the decision, excess = those beyond the stable revision's rates",
            any.bad,
            any.good(),
            any.goodClean,
            any.goodIncident
        );
        line(
            out,
            "%-28s | %7s | %11s | %7s | %8s | %7s | %8s | %8s | %-21s | %11s",
            "policy",
            "bad RB",
            "bad decide",
            "blast",
            "blast",
            "excess",
            "false RB",
            "false RB",
            "false RB all",
            "good promo"
        );
        line(
            out,
            "%-28s | %7s | %11s | %7s | %8s | %7s | %8s | %8s | %-21s | %11s",
            "",
            "",
            "med/p90 min",
            "mean",
            "to decide",
            "mean",
            "clean",
            "incident",
            "[95% CI]",
            "med/p90 min"
        );
        line(out, "%s", "-".repeat(151));

        for (Policy p : policies) {
            if (mainPolicy(p)) {
                PolicyStats s = stats.get(p.name());
                double[] ci = PolicyStats.wilson(s.goodRolledBack(), s.good());
                line(
                    out,
                    "%-28s | %7s | %11s | %7.0f | %8.0f | %7.0f | %8s | %8s | %-21s | %11s",
                    p.name(),
                    pct(s.detectionRate()),
                    minutes(s.badDecisionSeconds),
                    s.meanBlast(),
                    s.meanBlastBeforeDecision(),
                    s.meanExcessBlast(),
                    pct(PolicyStats.ratio(s.goodCleanRolledBack, s.goodClean)),
                    pct(PolicyStats.ratio(s.goodIncidentRolledBack, s.goodIncident)),
                    String.format(Locale.ROOT, "%s [%s-%s]", pct(s.falseRollbackRate()), pct(ci[0]), pct(ci[1])),
                    minutes(s.goodPromotionSeconds)
                );
            }
        }
    }

    private static void boundaryTable(StringBuilder out, Population population, List<Replay> replays, List<Policy> policies) {
        Map<String, PolicyStats> stats = stats(replays, policies, r -> true);
        line(out, "== %s ==", population.description);
        line(out, "   %d canaries; a rollback here is a false rollback for the sequential checks (H0 holds).", replays.size());
        line(out, "%-28s | %-24s | %s", "policy", "rolled back [95% CI]", "bound");
        line(out, "%s", "-".repeat(72));

        for (Policy p : policies) {
            PolicyStats s = stats.get(p.name());
            double[] ci = PolicyStats.wilson(s.goodRolledBack(), s.good());
            String bound = p.name().equals("Seq. errors only, a=0.01")
                ? "<= 1% (alpha)"
                : (p.name().startsWith("Stagegate sequential") ? "<= 1% (2 checks x 0.5%)" : "-");
            line(out, "%-28s | %-24s | %s", p.name(), String.format(Locale.ROOT, "%s [%s-%s]", pct(s.falseRollbackRate()), pct(ci[0]), pct(ci[1])), bound);
        }
    }

    /** Detection of error regressions by canary traffic and size of the increase, with the evidence that existed. */
    private static void whereItLoses(StringBuilder out, List<Replay> mixed, List<Policy> policies) {
        double[] rpsEdges = new double[]{0.0, 0.1, 1.0, 10.0, 1000.0};
        String[] rpsNames = new String[]{"canary < 0.1 req/s", "canary 0.1-1 req/s", "canary 1-10 req/s", "canary >= 10 req/s"};
        double[] deltaEdges = new double[]{0.0, 0.01, 0.03, 1.0};
        String[] deltaNames = new String[]{"+0.2-1 pt", "+1-3 pt", "+3-10 pt"};
        int seq = indexOf(policies, "Stagegate sequential 30s");
        int flagger = indexOf(policies, "Flagger-style (3x base)");
        int baseline = indexOf(policies, "Stagegate baseline");
        line(out, "== Where the sequential check loses: error regressions (MIXED) by canary traffic and increase ==");
        line(
            out,
            "   cell: sequential 30s / Flagger 3x base / Stagegate baseline rolled back; n; median excess failed canary requests the whole stage produced (the evidence that exists)"
        );
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
                } else {
                    List<Integer> excess = new ArrayList<>();
                    cell.forEach(r -> excess.add((int)Math.min(2147483647L, r.expectedExcessFailures())));
                    row.append(
                        String.format(
                            Locale.ROOT,
                            " | %4s/%4s/%4s n=%-4d ex=%-6.0f",
                            pct0(rolledBack(cell, seq)),
                            pct0(rolledBack(cell, flagger)),
                            pct0(rolledBack(cell, baseline)),
                            cell.size(),
                            PolicyStats.quantile(excess, 0.5)
                        )
                    );
                }
            }

            int ra = a;
            List<Replay> good = mixed.stream()
                .filter(r -> !r.scenario().bad())
                .filter(r -> within(r.scenario().totalRps() * r.scenario().canaryShare(), rpsEdges, ra))
                .toList();
            row.append(
                good.isEmpty()
                    ? " | -"
                    : String.format(
                        Locale.ROOT,
                        " | %4s/%4s/%4s n=%d",
                        pct0(rolledBack(good, seq)),
                        pct0(rolledBack(good, flagger)),
                        pct0(rolledBack(good, baseline)),
                        good.size()
                    )
            );
            line(out, "%s", row);
        }

        List<Replay> small = mixed.stream()
            .filter(r -> r.scenario().kind() == Scenario.Kind.BAD_ERRORS)
            .filter(r -> r.scenario().errorIncrease() < deltaEdges[1])
            .toList();
        long insideAllowance = small.stream().filter(r -> r.scenario().errorIncrease() <= 0.2 * r.scenario().baseErrorRate()).count();
        line(
            out,
            "   %s of the +0.2-1 pt regressions raise the error rate by at most 20%% (relative risk <= 1.2): inside the sequential check's allowance, so not rolling them back is by design",
            pct(PolicyStats.ratio((int)insideAllowance, small.size()))
        );
    }

    private static boolean anchor(Policy p) {
        return !p.name().startsWith("Stagegate") && !p.name().startsWith("Seq.");
    }

    /** The anchor setting with the smallest mean blast among those with at most {@code maxFalseRollbacks}. */
    private static Optional<Policy> bestAnchorAt(Map<String, PolicyStats> stats, List<Policy> all, double maxFalseRollbacks) {
        return all.stream()
            .filter(DecisionBenchmark::anchor)
            .filter(p -> stats.get(p.name()).falseRollbackRate() <= maxFalseRollbacks)
            .min(Comparator.comparingDouble(p -> stats.get(p.name()).meanBlast()));
    }

    private void aims(StringBuilder out, Map<Population, List<Replay>> replays, List<Policy> all, List<ScrapeTimingTable.Row> scrapeTiming) {
        Map<String, PolicyStats> aim = stats(replays.get(Population.AIM), all, r -> true);
        PolicyStats seq = aim.get("Stagegate sequential 30s");
        PolicyStats flagger = aim.get("Flagger-style (3x base)");
        double[] falseCi = PolicyStats.wilson(seq.goodRolledBack(), seq.good());
        PolicyStats boundary = stats(replays.get(Population.BOUNDARY), all, r -> true).get("Seq. errors only, a=0.01");
        double[] boundaryCi = PolicyStats.wilson(boundary.goodRolledBack(), boundary.good());
        line(out, "== Aims (reported, not asserted), on the AIM population unless noted ==");
        line(
            out,
            "  sequential rolls back >= 97%% of fivefold regressions (30%% with a shared incident): %s (%s)",
            verdict(seq.detectionRate() >= 0.97),
            pct(seq.detectionRate())
        );
        line(
            out,
            "  sequential false rollbacks <= 1%% incl. shared incidents: %s (%s, 95%% CI %s-%s)",
            verdict(seq.falseRollbackRate() <= 0.01),
            pct(seq.falseRollbackRate()),
            pct(falseCi[0]),
            pct(falseCi[1])
        );

        for (ScrapeTimingTable.Row r : scrapeTiming) {
            if (r.population() != ScrapeTimingTable.Case.DOUBLE_REPORTED) {
                double rate = PolicyStats.ratio(r.alignedRollbacks(), r.runs());
                line(
                    out,
                    "  per-pod scrapes every %ds, H0 boundary, %s: false rollbacks <= alpha (1%%): %s (after %s, before %s)",
                    r.scrapeSeconds(),
                    r.population() == ScrapeTimingTable.Case.BOUNDARY_INCIDENT ? "incidents +1-20 pt" : "500 req/s +20 pt",
                    verdict(rate <= 0.01),
                    pct(rate),
                    pct(PolicyStats.ratio(r.summedRollbacks(), r.runs()))
                );
            }
        }

        double allowed = Math.max(seq.falseRollbackRate(), 0.01);
        Optional<Policy> best = bestAnchorAt(aim, all, allowed);
        if (best.isEmpty()) {
            line(out, "  mean blast >= 3x smaller than the best anchor point at equal false rollbacks: no anchor setting has <= %s false rollbacks", pct(allowed));
        } else {
            PolicyStats b = aim.get(best.get().name());
            double ratio = b.meanBlast() / seq.meanBlast();
            line(
                out,
                "  mean blast (missed canaries charged) >= 3x smaller than the best anchor point with <= %s false rollbacks, over every swept setting: %s (%.0f vs %.0f for %s [%s false RB], %.1fx)",
                pct(allowed),
                verdict(ratio >= 3.0),
                seq.meanBlast(),
                b.meanBlast(),
                best.get().name(),
                pct(b.falseRollbackRate()),
                ratio
            );
        }

        line(
            out,
            "    against Flagger-style tuned to 3x baseline (1m, threshold 5): charged %.0f vs %.0f, %.1fx; uncharged (until decision, the old figure) %.0f vs %.0f, %.1fx",
            seq.meanBlast(),
            flagger.meanBlast(),
            flagger.meanBlast() / seq.meanBlast(),
            seq.meanBlastBeforeDecision(),
            flagger.meanBlastBeforeDecision(),
            flagger.meanBlastBeforeDecision() / seq.meanBlastBeforeDecision()
        );
        line(
            out,
            "    same on excess failures (beyond stable's rates): %.0f vs %.0f, %.1fx",
            seq.meanExcessBlast(),
            flagger.meanExcessBlast(),
            flagger.meanExcessBlast() / seq.meanExcessBlast()
        );
        PolicyStats every15 = aim.get("Stagegate sequential 15s");
        line(
            out,
            "    evaluated every scrape (15s) instead: blast %.0f vs %.0f, %.1fx",
            every15.meanBlast(),
            flagger.meanBlast(),
            flagger.meanBlast() / every15.meanBlast()
        );

        for (Population population : List.of(Population.MIXED, Population.AIM)) {
            PolicyStats s = stats(replays.get(population), all, r -> true).get("Stagegate sequential 30s");
            List<Integer> early = s.goodPromotionSeconds.stream().filter(t -> t < stageMinutes * 60).toList();
            line(
                out,
                "  %s: good releases promoted early (both checks NO_WORSE): %s, median at %s min",
                population,
                pct(PolicyStats.ratio(early.size(), s.good())),
                early.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", PolicyStats.quantile(early, 0.5) / 60.0)
            );
        }

        line(
            out,
            "  canaries exactly at H0 (relative risk 1.2), errors check alone at alpha = 1%%: rolled back %s (95%% CI %s-%s, bound 1%%): %s",
            pct(boundary.falseRollbackRate()),
            pct(boundaryCi[0]),
            pct(boundaryCi[1]),
            verdict(boundary.falseRollbackRate() <= 0.01)
        );
    }

    /** Every point of every family, with the family's Pareto front marked. */
    private static void curvesTable(StringBuilder out, Population population, List<Replay> replays, List<Policy> all) {
        Map<String, PolicyStats> stats = stats(replays, all, r -> true);
        line(
            out,
            "== Trade-off curves on %s: false rollbacks of good releases vs mean blast (missed canaries charged); * = on the family's Pareto front ==",
            population
        );

        for (Entry<String, List<Policy>> family : curves().entrySet()) {
            List<SvgScatterPlot.Point> points = points(family.getValue(), stats);
            List<SvgScatterPlot.Point> front = SvgScatterPlot.paretoFront(points);
            line(out, "  %s", family.getKey());
            StringBuilder row = new StringBuilder();

            for (SvgScatterPlot.Point p : points) {
                PolicyStats s = stats.get(p.label());
                String cell = String.format(
                    Locale.ROOT,
                    "%s%s: FRB %s, blast %.0f, caught %s",
                    front.contains(p) ? "*" : " ",
                    p.label(),
                    pct(s.falseRollbackRate()),
                    s.meanBlast(),
                    pct(s.detectionRate())
                );
                row.append(String.format(Locale.ROOT, "    %-58s", cell));
                if (row.length() > 120) {
                    line(out, "%s", row);
                    row.setLength(0);
                }
            }

            if (!row.isEmpty()) {
                line(out, "%s", row);
            }
        }
    }

    private static List<SvgScatterPlot.Point> points(List<Policy> policies, Map<String, PolicyStats> stats) {
        List<SvgScatterPlot.Point> points = new ArrayList<>();

        for (Policy p : policies) {
            PolicyStats s = stats.get(p.name());
            points.add(new SvgScatterPlot.Point(p.name(), 100.0 * s.falseRollbackRate(), s.meanBlast()));
        }

        return points;
    }

    private Path writeCurves(Population population, List<Replay> replays, List<Policy> all) throws IOException {
        Map<String, PolicyStats> stats = stats(replays, all, r -> true);
        SvgScatterPlot plot = new SvgScatterPlot(
            "Trade-off curves, " + population + " (" + stageMinutes + "-min stage, missed canaries charged 30 min at full traffic)",
            "false-rollback rate of good releases, incl. shared incidents (%)",
            "mean failed requests served by bad canaries (log)"
        );
        String[] colours = new String[]{"#1f77b4", "#ff7f0e", "#d62728"};
        String[] shapes = new String[]{"circle", "square", "circle"};
        int c = 0;

        for (Entry<String, List<Policy>> family : curves().entrySet()) {
            plot.curve(family.getKey(), shapes[c], colours[c], points(family.getValue(), stats));
            c++;
        }

        List<Policy> named = policies().stream().filter(DecisionBenchmark::mainPolicy).toList();
        plot.series("named policies (main table)", "square", "#7f7f7f", points(named, stats));
        Files.createDirectories(out);
        Path file = out.resolve("tradeoff-curves-" + population.name().toLowerCase(Locale.ROOT) + ".svg");
        Files.writeString(file, plot.render());
        return file;
    }

    private Path writePlot(Map<Population, List<Replay>> replays, List<Policy> policies) throws IOException {
        SvgScatterPlot plot = new SvgScatterPlot(
            "Blast radius vs false rollbacks (" + stageMinutes + "-min stage)",
            "false-rollback rate of good releases, incl. shared incidents (%)",
            "mean failed requests served by bad canaries (log)"
        );
        String[] colours = new String[]{"#1f77b4", "#d62728"};
        int c = 0;

        for (Population population : List.of(Population.MIXED, Population.AIM)) {
            Map<String, PolicyStats> stats = stats(replays.get(population), policies, r -> true);
            List<SvgScatterPlot.Point> points = new ArrayList<>();

            for (Policy p : policies) {
                if (mainPolicy(p)) {
                    PolicyStats s = stats.get(p.name());
                    points.add(new SvgScatterPlot.Point(p.name(), 100.0 * s.falseRollbackRate(), s.meanBlast()));
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
        return (double)cell.stream().filter(r -> r.outcomes()[policy].rolledBack()).count() / cell.size();
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
        return seconds.isEmpty()
            ? "-"
            : String.format(Locale.ROOT, "%.1f/%.1f", PolicyStats.quantile(seconds, 0.5) / 60.0, PolicyStats.quantile(seconds, 0.9) / 60.0);
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * ratio);
    }

    private static String pct0(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * ratio);
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
