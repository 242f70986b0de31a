package dev.stagegate.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The program's parsing and table printing; the benchmark itself is run by `make bench-scale`, not by tests. */
class ScaleBenchmarkTest {

  private static ScaleBenchmark parse(String... args) {
    ScaleBenchmark bench = new ScaleBenchmark();
    new CommandLine(bench).parseArgs(args);
    return bench;
  }

  @Test
  @DisplayName("given no flags, then it runs 100, 1,000 and 5,000 with one shard and a 512m heap")
  void defaults() {
    ScaleBenchmark bench = parse();
    bench.validate();
    assertThat(bench.sizes).containsExactly(100, 1000, 5000);
    assertThat(bench.shards).isEqualTo(1);
    assertThat(bench.heap).isEqualTo("512m");
  }

  @Test
  @DisplayName("given three shards, a bad heap or a bad stage duration, then it refuses naming the flag")
  void badFlags() {
    assertThatThrownBy(() -> parse("--shards", "3").validate()).hasMessageContaining("--shards");
    assertThatThrownBy(() -> parse("--heap", "lots").validate()).hasMessageContaining("--heap");
    assertThatThrownBy(() -> parse("--stage-duration", "30 seconds").validate()).hasMessageContaining("--stage-duration");
    assertThatThrownBy(() -> parse("--n", "100,3").validate()).hasMessageContaining("--n");
    assertThatThrownBy(() -> parse("--steady", "half an hour").validate()).hasMessageContaining("--steady");
  }

  @Test
  @DisplayName("given heap samples per minute, then the trend leaves out the warm-up and reports the least-squares slope")
  void steadyTrend() {
    List<SteadyTable.Sample> samples = new java.util.ArrayList<>();
    for (int minute = 0; minute <= 10; minute++) {
      long heap = minute < SteadyTable.WARM_UP_MINUTES ? (300L << 20) : (100L << 20) + minute * (2L << 20);
      samples.add(new SteadyTable.Sample(minute, heap, 500L << 20, minute, minute * 100.0, 20));
    }
    String table = SteadyTable.render(1000, samples);
    assertThat(table).contains("| minute | heap MB").contains("Trend from minute 5 to 10: +2.00 MB/min")
        .contains("heap 110.0 -> 120.0 MB");
  }

  @Test
  @DisplayName("given rows for 1,000 and 5,000, then the table has a row each and the growth line divides them")
  void tableAndGrowth() {
    ScaleRow small = new ScaleRow(1000, 1, true, "1200/1200", 100, 50, 5, 40, 0, 80, 1.6, 1001, 1001,
        200L << 20, 400L << 20, 60, 0, 3.5);
    ScaleRow big = new ScaleRow(5000, 1, false, "5900/6000", 450, 60, 6, 90, 2, 90, 1.5, 5001, 5001,
        900L << 20, 1200L << 20, 300, 0, 4.0);
    String table = ScaleTable.render(List.of(small, big));
    assertThat(table).contains("|   1000 |").contains("|   5000 |").contains("NOT 5900/6000")
        .contains("Growth 1,000 -> 5,000 (linear = 5x): time 4.5x, heap 4.5x, RSS 3.0x, API calls 5.1x")
        .contains("argo-rollouts#2855").contains("flagger#638");
  }

  @Test
  @DisplayName("given two scrapes of a reconcile histogram, then p50 and p99 come from the reconciles between them")
  void percentilesFromBuckets() {
    String timer = "operator_sdk_controllers_execution_reconcile_seconds";
    String before = timer + "_bucket{controller=\"r\",le=\"0.01\"} 10\n" + timer + "_bucket{controller=\"r\",le=\"0.1\"} 10\n"
        + timer + "_bucket{controller=\"r\",le=\"+Inf\"} 10\n" + timer + "_count{controller=\"r\"} 10\n";
    String after = timer + "_bucket{controller=\"r\",le=\"0.01\"} 60\n" + timer + "_bucket{controller=\"r\",le=\"0.1\"} 110\n"
        + timer + "_bucket{controller=\"r\",le=\"+Inf\"} 110\n" + timer + "_count{controller=\"r\"} 110\n"
        + "operator_sdk_reconciliations_failed_total{name=\"x\",namespace=\"n\"} 3\n";
    ReconcileReading a = ReconcileReading.of(before);
    ReconcileReading b = ReconcileReading.of(after);
    assertThat(b.countSince(a)).isEqualTo(100);
    assertThat(b.quantileMillisSince(a, 0.5)).isEqualTo(10.0);
    assertThat(b.quantileMillisSince(a, 0.99)).isCloseTo(98.2, org.assertj.core.data.Offset.offset(0.01));
    assertThat(b.failedSince(a)).isEqualTo(3);
  }
}
