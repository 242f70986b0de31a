package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A DataMigration verify check whose query Prometheus refuses (HTTP 400 `bad_data`, a syntax error) is a spec error,
 * as for a Release: asking again cannot help, so the migration is held with reason `InvalidQuery` naming the field and
 * quoting Prometheus, asks nothing again and undoes nothing until the spec changes. Before, it was an Error that paused
 * with `NoEvidence` and was asked again every interval, for ever. Each subclass provides the Prometheus.
 */
@Tag("postgres")
public abstract class MigrationInvalidQueryScenarios extends MigrationScenarioBase {
  /** Missing its closing parenthesis. */
  protected static final String BROKEN = "sum(vector(0)";
  protected static final String FIXED = BROKEN + ")";

  /** How many queries Prometheus was asked so far, where the test can count them. */
  protected abstract OptionalInt queriesAsked();

  @Test
  @DisplayName("given a pilot loaded and a verify query Prometheus refuses (400 bad_data), then the migration is held with InvalidQuery naming spec.verify[1].prometheus.query and quoting Prometheus, once, asks nothing again, loads and undoes nothing; when the query is fixed it goes on to Succeeded")
  void refusedQueryIsHeldUntilTheSpecChanges() throws Exception {
    MemberLoader.Gate pilot = loader.hold(NAME + "-pilot-load");
    DataMigration spec = members2025().stage("pilot", 1).stage("full", 100).build();
    spec.getSpec().getVerify().get(1).getPrometheus().setQuery(BROKEN);
    harness.apply(spec);
    assertThat(pilot.awaitRunning(120)).isTrue();
    pilot.release();

    // then it is held for the refused query, not paused for missing evidence
    DataMigration held = harness.awaitStatus(NAME, "held after the refused query", m -> m.getStatus() != null
        && loaderErrors(m) != null && loaderErrors(m).getResult() == CheckResult.Error
        && m.getStatus().getPauseReason() != null, WAIT);
    assertThat(held.getStatus().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(held.getStatus().getPauseReason()).as(held.getStatus().getMessage()).isEqualTo("InvalidQuery");
    assertThat(held.getStatus().getMessage())
        .contains("spec.verify[1].prometheus.query (check 'loader-errors')", "bad_data", "parse error");
    Condition stalled = condition(held, "Stalled");
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("InvalidQuery");
    assertThat(loaderErrors(held).getConsecutiveFailures()).as("no failure counted").isIn(null, 0);

    // and held as it is: no query asked again (the check's interval is 1s), nothing more loaded, nothing undone
    OptionalInt asked = queriesAsked();
    String evaluatedAt = loaderErrors(held).getEvaluatedAt();
    Thread.sleep(4_000);
    DataMigration later = harness.get(NAME);
    assertThat(queriesAsked()).as("queries asked while held").isEqualTo(asked);
    assertThat(loaderErrors(later).getEvaluatedAt()).as("not evaluated again").isEqualTo(evaluatedAt);
    assertThat(later.getStatus().getPauseReason()).isEqualTo("InvalidQuery");
    assertThat(jobNames()).containsExactly(NAME + "-pilot-load");
    List<String> reasons = harness.eventReasons(NAME);
    assertThat(Collections.frequency(reasons, "InvalidQuery")).isEqualTo(1);
    assertThat(reasons).doesNotContain("VerifyFailed", "RollingBack", "RolledBack", "NoEvidence");

    // when the query is fixed, then the checks are asked again and it goes on by itself
    harness.edit(NAME, m -> {
      m.getSpec().getVerify().get(1).getPrometheus().setQuery(FIXED);
      return m;
    });
    DataMigration done = runToEnd();
    assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(jobNames()).containsExactlyInAnyOrder(NAME + "-pilot-load", NAME + "-full-load");
    assertThat(harness.eventReasons(NAME)).contains("Resumed").doesNotContain("RolledBack", "NoEvidence");
  }

  private List<String> jobNames() {
    return harness.jobs().stream().map(j -> j.getMetadata().getName()).toList();
  }

  private static VerifyStatus loaderErrors(DataMigration m) {
    return m.getStatus().getVerify() == null ? null : m.getStatus().getVerify().stream()
        .filter(v -> "loader-errors".equals(v.getName())).findFirst().orElse(null);
  }
}
