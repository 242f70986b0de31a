package dev.stagegate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `make demo --headless` in-process: the whole sandbox, the unchanged operator, the six scenarios. Asserts each
 * outcome from summary.json, the file a CI job would read, and that the picture was drawn.
 */
@Tag("demo")
class DemoRunTest {

  @Test
  @DisplayName("given the sandbox, when the demo runs headless, then all six scenarios end as the issue describes and summary.json and the timeline say so")
  void allSixScenariosEndAsExpected(@TempDir Path out) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (PrometheusBinary.find().isEmpty()) {
      if (ci) {
        throw new AssertionError("CI=true requires Prometheus for the demo (scripts/test-deps.sh installs it)");
      }
      Assumptions.abort("Prometheus is not installed; `apt-get install prometheus` to run the demo test");
    }
    long t0 = System.nanoTime();
    int exit = new CommandLine(new DemoMain()).execute("--headless", "--output", out.toString());
    System.out.printf("demo wall time %.1f s (exit %d)%n", (System.nanoTime() - t0) / 1e9, exit);

    Summary summary = Summary.readJson(out.resolve("summary.json"));
    Map<Integer, ScenarioResult> byNumber = summary.scenarios().stream()
        .collect(Collectors.toMap(ScenarioResult::number, Function.identity()));
    assertThat(byNumber).containsOnlyKeys(1, 2, 3, 4, 5, 6);

    assertThat(byNumber.get(1).outcome()).isEqualTo("Promoted");
    assertThat(byNumber.get(1).detail()).contains("stages at 10% → 50% → 100%", "stable v2");

    assertThat(byNumber.get(2).outcome()).isEqualTo("RolledBack");
    assertThat(byNumber.get(2).detail()).contains("never past the first stage", "stable v2", "v2=10", "v3=0",
        "error-rate");

    assertThat(byNumber.get(3).outcome()).isEqualTo("Failed/GuardFailed");
    assertThat(byNumber.get(3).rowsLoaded()).isZero();
    assertThat(byNumber.get(3).detail()).contains("target unchanged", "Jobs created: 0", "source-is-production");

    assertThat(byNumber.get(4).outcome()).isEqualTo("RolledBack/VerifyFailed");
    assertThat(byNumber.get(4).mismatches()).as("the pilot's fixtures, found by the compare").isEqualTo(1_000);
    assertThat(byNumber.get(4).detail()).contains("undo deleted 1,000", "target as before");

    assertThat(byNumber.get(5).outcome()).isEqualTo("Succeeded");
    assertThat(byNumber.get(5).rowsLoaded()).isEqualTo(Sandbox.MEMBERS);
    assertThat(byNumber.get(5).mismatches()).isZero();

    assertThat(byNumber.get(6).outcome()).isEqualTo("RolledBack+RolledBack/VerifyFailed");
    assertThat(byNumber.get(6).detail()).contains("waited at canary-10 with no pods for the pilot (never served)",
        "linked DataMigration/members-2025",
        "undo deleted 1,000", "target as before");

    assertThat(summary.scenarios()).allSatisfy(r -> assertThat(r.asExpected()).as(r.title() + ": " + r.detail()).isTrue());
    assertThat(summary.allAsExpected()).isTrue();
    assertThat(exit).isZero();

    String svg = Files.readString(out.resolve("timeline.svg"));
    assertThat(svg).contains("Promoted at", "RolledBack at", "error-rate threshold 1%", "90,000 rows", "1,000 rows");
    assertThat(svg).as("scenario 6 shows both timelines").contains("6. checkout v4", ">Release<", ">DataMigration<",
        "WaitingForGate canary-10", "RollingBack", "RolledBack (linked DataMigration/members-2025 failed)");
    assertThat(summary.picture()).isEqualTo(out.resolve("timeline.svg").toString());
  }
}
