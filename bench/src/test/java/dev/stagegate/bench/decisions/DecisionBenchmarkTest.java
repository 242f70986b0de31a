package dev.stagegate.bench.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("Decision benchmark, quick mode")
class DecisionBenchmarkTest {

    @Test
    @DisplayName("prints a summary row for every policy in every table and writes the plot")
    void quickRunCoversAllPolicies(@TempDir Path out) throws Exception {
        DecisionBenchmark benchmark = new DecisionBenchmark();
        new CommandLine(benchmark).parseArgs("--quick", "--out", out.toString());

        String report = benchmark.run();

        for (Policy policy : DecisionBenchmark.policies()) {
            // A row in the MIXED and AIM tables and in both H0-boundary tables; errors-only is in the latter only.
            long rows = report.lines().filter(l -> l.startsWith(String.format("%-28s |", policy.name()))).count();
            int expected = policy.name().equals(DecisionBenchmark.SEQUENTIAL_ERRORS_ONLY) ? 2 : 4;
            assertThat(rows).as("table rows for %s", policy.name()).isEqualTo(expected);
        }
        assertThat(report).contains("== Aims (reported, not asserted)", "Where the sequential check loses",
            "== Latency shift: sequential latency check vs a fixed p99 threshold");
        Path plot = out.resolve("blast-radius-vs-false-rollbacks.svg");
        assertThat(plot).exists();
        assertThat(Files.readString(plot)).startsWith("<svg").contains("Stagegate sequential 30s", "Flagger-style (docs)");
    }

    @Test
    @DisplayName("the same seed gives the same trace, so every policy replays identical requests")
    void tracesAreReproducible() {
        Scenario scenario = Population.MIXED.sample(7, 3);

        Trace first = TraceGenerator.generate(scenario, 1800);
        Trace second = TraceGenerator.generate(Population.MIXED.sample(7, 3), 1800);
        Trace other = TraceGenerator.generate(Population.MIXED.sample(8, 3), 1800);

        assertThat(second.canaryErrors).isEqualTo(first.canaryErrors);
        assertThat(second.stableRequests).isEqualTo(first.stableRequests);
        assertThat(other.stableRequests).isNotEqualTo(first.stableRequests);
    }
}
