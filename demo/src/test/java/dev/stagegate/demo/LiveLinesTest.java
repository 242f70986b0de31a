package dev.stagegate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.GuardStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.api.migration.VerifyStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a person sees: one line per state change, check values held against their thresholds. */
class LiveLinesTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Terminal plain = new Terminal(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
  private final Timeline timeline = new Timeline();
  private final LiveView view = new LiveView(plain, Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC),
      timeline);

  private static Release canary(String value, CheckResult result, int weight) {
    Release r = new Release();
    r.setMetadata(new ObjectMetaBuilder().withName("checkout").withNamespace("shop").build());
    ReleaseSpec spec = new ReleaseSpec();
    Check check = new Check();
    check.setName("error-rate");
    check.setMax(0.01);
    spec.setChecks(List.of(check));
    r.setSpec(spec);
    ReleaseStatus s = new ReleaseStatus();
    s.setPhase(ReleasePhase.Progressing);
    s.setStableRevision("aaaaaaaaaa");
    s.setCanaryRevision("bbbbbbbbbb");
    s.setCurrentStage(new StageStatus(0, "canary-10", "2026-01-01T10:00:00Z"));
    s.setActualWeight(weight);
    s.setRequestedWeight(10);
    CheckStatus cs = new CheckStatus("error-rate");
    cs.setLastValue(value);
    cs.setLastResult(result);
    cs.setLastEvaluationTime("2026-01-01T10:00:0" + (value.length() % 10) + "Z");
    s.setChecks(List.of(cs));
    r.setStatus(s);
    return r;
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("given a failing error-rate check, then the line shows the value above its threshold, the stage, the weight and the revisions by name")
  void failingCheckReadsAgainstItsThreshold() {
    view.nameRevision("aaaaaaaaaa", "v2");
    view.nameRevision("bbbbbbbbbb", "v3");

    String line = ReleaseLine.of(canary("0.0812", CheckResult.Fail, 9), view::revisionName).render(plain);

    assertThat(line).contains("Progressing", "canary-10", "9%→10%", "v2 → v3", "error-rate 0.0812 > 0.01 ✗");
  }

  @Test
  @DisplayName("given the same Release reported twice, then the live view prints one line, and a new value prints another")
  void onlyChangesArePrinted() {
    view.beginScenario(2, "bad canary", "rolled back");
    view.release(canary("0.0812", CheckResult.Fail, 9));
    view.release(canary("0.0812", CheckResult.Fail, 9));
    view.release(canary("0.0931", CheckResult.Fail, 9));

    assertThat(printed().lines().filter(l -> l.contains("release/checkout")).count()).isEqualTo(2);
    assertThat(printed()).contains("10:00:00", "+0.0s");
  }

  @Test
  @DisplayName("given a rollback, then the deciding value is taken from the message for the picture, because the rollback clears the checks")
  void decisiveValueComesFromTheRollbackMessage() {
    assertThat(LiveView.decisiveValue("rolled back 873fe98c37: check error-rate failed 2 time(s) in a row: 0.07097 is"
        + " above max 0.01000")).isEqualTo(0.07097);
    assertThat(LiveView.decisiveValue("rolled back: canary pods never became ready")).isNaN();
  }

  @Test
  @DisplayName("given a loader reporting every batch, then the live view prints its progress at the start, each quarter and the end only")
  void loaderProgressIsThrottledToQuarters() {
    for (long done = 0; done <= 90_000; done += 2_000) {
      view.loaderProgress("portal-5", "members-2025", "full", done, 90_000);
    }

    assertThat(printed().lines().filter(l -> l.contains("full-load")).toList()).hasSize(5)
        .last().asString().contains("██████████ 90,000/90,000 rows");
  }

  @Test
  @DisplayName("given guards that failed, then the migration line names each guard with what it saw and what it wanted")
  void guardFailureLine() {
    DataMigration m = migration();
    DataMigrationStatus s = m.getStatus();
    s.setPhase(MigrationPhase.Failed);
    s.setFailureReason("GuardFailed");
    GuardStatus guard = new GuardStatus("source-is-production");
    guard.setResult(CheckResult.Fail);
    guard.setObserved("members_uat");
    guard.setExpected("= members_prod");
    s.setGuards(List.of(guard));

    String line = MigrationLine.of(m).render(plain);

    assertThat(line).contains("Failed/GuardFailed", "source-is-production members_uat wanted = members_prod ✗");
  }

  @Test
  @DisplayName("given a compare that found changed rows, then the line shows rows, mismatches and stage states, and mismatches() adds them up")
  void compareMismatchLine() {
    DataMigration m = migration();
    DataMigrationStatus s = m.getStatus();
    s.setPhase(MigrationPhase.Verifying);
    s.setCurrentStage("pilot");
    s.setRowsTotal(100_000L);
    s.setRowsMigrated(1_000L);
    StageProgress pilot = new StageProgress("pilot", 1, 1, 1001, 1000);
    pilot.setState(StageState.Failed);
    s.setStages(List.of(pilot, new StageProgress("ramp", 10, 1001, 10001, 9000)));
    VerifyStatus compare = new VerifyStatus("members-match", "pilot", 1L, 1001L);
    compare.setResult(CheckResult.Fail);
    compare.setTargetRows(1000L);
    compare.setMissing(0L);
    compare.setExtra(0L);
    compare.setChanged(1000L);
    s.setVerify(List.of(compare));

    String line = MigrationLine.of(m).render(plain);

    assertThat(line).contains("1,000/100,000 rows", "pilot✗ ramp·",
        "members-match 1,000 rows: 0 missing, 0 extra, 1,000 changed ✗");
    assertThat(MigrationLine.mismatches(m)).isEqualTo(1000);
  }

  private static DataMigration migration() {
    DataMigration m = new DataMigration();
    m.setMetadata(new ObjectMetaBuilder().withName("members-2025").withNamespace("portal-3").build());
    m.setSpec(new DataMigrationSpec());
    m.setStatus(new DataMigrationStatus());
    return m;
  }

  @Test
  @DisplayName("given colours, then the plain text of a line is the same as without them")
  void coloursDoNotChangeTheText() {
    Terminal coloured = new Terminal(new PrintStream(new ByteArrayOutputStream()), true);
    Release r = canary("0.002", CheckResult.Pass, 9);
    ReleaseLine line = ReleaseLine.of(r, rev -> Map.of("aaaaaaaaaa", "v1", "bbbbbbbbbb", "v2").get(rev));

    assertThat(line.render(coloured)).contains("\u001b[");
    assertThat(Terminal.plain(line.render(coloured))).isEqualTo(line.render(plain));
  }
}
