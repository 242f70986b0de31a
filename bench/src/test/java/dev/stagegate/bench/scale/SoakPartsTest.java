package dev.stagegate.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.bench.scale.FaultSchedule.Fault;
import dev.stagegate.bench.scale.FaultSchedule.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The soak's pure parts: its fault schedule, stuck detection and heap trend. The soak itself is `make soak`. */
class SoakPartsTest {

  @Test
  @DisplayName("given the same seed, then the same faults at the same seconds; another seed, another schedule")
  void faultScheduleIsSeeded() {
    List<Fault> a = FaultSchedule.plan(7, 30, 20);
    assertThat(FaultSchedule.plan(7, 30, 20)).isEqualTo(a);
    assertThat(FaultSchedule.plan(8, 30, 20)).isNotEqualTo(a);
  }

  @Test
  @DisplayName("given a 30-minute plan, then faults come one at a time within the run, every kind appears, and bad canaries pick a Release that exists")
  void faultScheduleShape() {
    List<Fault> faults = FaultSchedule.plan(1, 30, 20);
    for (int i = 1; i < faults.size(); i++) {
      assertThat(faults.get(i).atSecond()).isGreaterThanOrEqualTo(faults.get(i - 1).endSecond() + 20);
    }
    assertThat(faults).allSatisfy(f -> assertThat(f.atSecond()).isBetween(30, 30 * 60 - 1));
    assertThat(faults).extracting(Fault::kind).contains(Kind.values());
    assertThat(faults).filteredOn(f -> f.kind() == Kind.BAD_CANARY).allSatisfy(f -> assertThat(f.target()).isBetween(0, 19));
    assertThat(faults).filteredOn(f -> f.kind() == Kind.OPERATOR_KILL).allSatisfy(f -> assertThat(f.seconds()).isZero());
  }

  @Test
  @DisplayName("given a resource whose position has not changed for longer than the limit, then it is stuck; one that moved, waited or was forgotten is not")
  void stuckDetection() {
    StuckWatch watch = new StuckWatch(300);
    watch.observe("ns/r-00000", "Progressing/1/2", false, 0);
    watch.observe("ns/r-00001", "Progressing/1/2", false, 0);
    watch.observe("ns/r-00002", "Promoted/2/2", true, 0);
    watch.observe("ns/m-00000-c1", "Migrating/ramp/100", false, 0);
    watch.observe("ns/r-00000", "Progressing/1/2", false, 200); // no progress: keeps its first sighting
    watch.observe("ns/r-00001", "Progressing/2/2", false, 200); // moved to the next stage
    watch.forget("ns/m-00000-c1");

    assertThat(watch.stuck(300)).isEmpty();
    assertThat(watch.stuck(301)).containsExactly("ns/r-00000");
    assertThat(watch.stuck(501)).containsExactly("ns/r-00000", "ns/r-00001");
  }

  @Test
  @DisplayName("given a paused resource during a Prometheus fault, then waiting resets its clock: stuck only if it stays put once the fault ended")
  void waitingResetsTheClock() {
    StuckWatch watch = new StuckWatch(300);
    watch.observe("ns/r-00000", "Paused/1/2", true, 0);
    watch.observe("ns/r-00000", "Paused/1/2", true, 250);
    watch.observe("ns/r-00000", "Paused/1/2", false, 260); // fault over, still paused
    assertThat(watch.stuck(500)).isEmpty();
    assertThat(watch.stuck(561)).containsExactly("ns/r-00000");
  }

  @Test
  @DisplayName("given heap after GC flat with noise after the warm-up, then the trend is flat even if the warm-up grew")
  void flatTrend() {
    List<Double> heap = new ArrayList<>();
    for (int m = 0; m < 30; m++) {
      heap.add(m < 10 ? 20.0 + 4 * m : 60.0 + (m % 3 == 0 ? 1.5 : -0.5));
    }
    HeapTrend trend = HeapTrend.of(heap, 30);
    assertThat(trend.judged()).isTrue();
    assertThat(trend.warmUpMinutes()).isEqualTo(10);
    assertThat(trend.upward()).isFalse();
  }

  @Test
  @DisplayName("given heap after GC growing 1 MB a minute after the warm-up, then the trend is upward; a short run is not judged")
  void upwardTrendAndShortRun() {
    List<Double> heap = new ArrayList<>();
    for (int m = 0; m < 30; m++) {
      heap.add(40.0 + m);
    }
    HeapTrend trend = HeapTrend.of(heap, 30);
    assertThat(trend.slopeMbPerMinute()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(trend.upward()).isTrue();
    assertThat(trend.describe()).contains("UPWARD");

    HeapTrend shortRun = HeapTrend.of(heap.subList(0, 3), 3);
    assertThat(shortRun.judged()).isFalse();
    assertThat(shortRun.upward()).isFalse();
  }

  @Test
  @DisplayName("given no flags, then 30 minutes, 20 Releases, 5 DataMigrations; a bad flag is refused naming it")
  void flags() {
    SoakBenchmark soak = new SoakBenchmark();
    new CommandLine(soak).parseArgs();
    soak.validate();
    assertThat(soak.minutes).isEqualTo(30);
    assertThat(soak.releases).isEqualTo(20);
    assertThat(soak.migrations).isEqualTo(5);
    SoakBenchmark bad = new SoakBenchmark();
    new CommandLine(bad).parseArgs("--minutes", "0");
    assertThatThrownBy(bad::validate).hasMessageContaining("--minutes");
    SoakBenchmark badReleases = new SoakBenchmark();
    new CommandLine(badReleases).parseArgs("--releases", "0");
    assertThatThrownBy(badReleases::validate).hasMessageContaining("--releases");
  }
}
