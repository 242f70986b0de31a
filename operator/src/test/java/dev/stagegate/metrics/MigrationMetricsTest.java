package dev.stagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.testing.DataMigrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MigrationMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MigrationMetrics metrics = new MigrationMetrics(registry);
  private final DataMigration migration = DataMigrations.named("members-2025", "portal").stage("pilot", 1)
      .stage("full", 100).compare("members-match", 0).build();

  @Test
  @DisplayName("given a DataMigration seen for the first time, then each verify check's duration timer exists at zero, so increase() counts the first evaluation")
  void verifyTimersStartAtZero() {
    metrics.record(migration, status(MigrationPhase.Migrating), List.of());

    assertThat(registry.get("stagegate.verify.duration").tag("check", "members-match").timer().count()).isZero();
    assertThat(registry.find("stagegate.verify.last.duration").gauge()).as("no evaluation yet, nothing to show").isNull();
  }

  @Test
  @DisplayName("given a compare that found every pilot row changed, then the mismatch and row gauges show it and the evaluation is timed")
  void mismatchesAndRows() {
    DataMigrationStatus status = status(MigrationPhase.Paused);
    VerifyStatus compare = new VerifyStatus("members-match", "pilot", 1L, 201L);
    compare.setSourceRows(200L);
    compare.setTargetRows(200L);
    compare.setMissing(0L);
    compare.setExtra(0L);
    compare.setChanged(200L);
    status.setVerify(List.of(compare));
    status.setRowsMigrated(200L);
    status.setRowsTotal(2_000L);

    metrics.record(migration, status, List.of(new MigrationMetrics.Evaluation("members-match", Duration.ofMillis(40))));

    assertThat(registry.get("stagegate.verify.mismatches").tag("kind", "changed").gauge().value()).isEqualTo(200);
    assertThat(registry.get("stagegate.verify.mismatches").tag("kind", "missing").gauge().value()).isZero();
    assertThat(registry.get("stagegate.migration.rows").tag("side", "source").gauge().value()).isEqualTo(200);
    assertThat(registry.get("stagegate.migration.rows.loaded").gauge().value()).isEqualTo(200);
    assertThat(registry.get("stagegate.migration.rows.to.migrate").gauge().value()).isEqualTo(2_000);
    assertThat(registry.get("stagegate.migration.phase").tag("phase", "Paused").gauge().value()).isEqualTo(1);
    assertThat(registry.get("stagegate.migration.phase").tag("phase", "Migrating").gauge().value()).isZero();
    var timer = registry.get("stagegate.verify.duration").tag("check", "members-match").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
    assertThat(registry.get("stagegate.verify.last.duration").tag("check", "members-match").gauge().value())
        .isEqualTo(0.04);
  }

  private static DataMigrationStatus status(MigrationPhase phase) {
    DataMigrationStatus status = new DataMigrationStatus();
    status.setPhase(phase);
    return status;
  }
}
