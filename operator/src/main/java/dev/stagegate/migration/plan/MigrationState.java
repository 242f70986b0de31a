package dev.stagegate.migration.plan;

import dev.stagegate.api.common.Durations;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobRun;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.common.ByName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Questions about a DataMigration's status that several steps ask. */
final class MigrationState {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10L);

  private MigrationState() {
  }

  static Duration interval(VerifyCheck check) {
    return Durations.parseOr(check.getInterval(), DEFAULT_INTERVAL);
  }

  static VerifyStatus find(List<VerifyStatus> list, String name) {
    return ByName.find(list, VerifyStatus::getName, name);
  }

  static boolean failurePause(String reason) {
    return MigrationReasons.Cause.of(reason).map(MigrationReasons.Cause::failurePause).orElse(false);
  }

  static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  static int firstUnverified(DataMigrationStatus status) {
    for (int i = 0; i < status.getStages().size(); i++) {
      if (status.getStages().get(i).getState() != StageState.Verified) {
        return i;
      }
    }

    return -1;
  }

  static boolean neverCreated(JobRun job) {
    return job.getUid() == null && job.getState() == JobState.Failed;
  }

  static List<Integer> stagesToUndo(DataMigrationStatus status) {
    List<Integer> out = new ArrayList<>();

    for (int i = status.getStages().size() - 1; i >= 0; i--) {
      StageProgress s = status.getStages().get(i);
      if (s.getJob() != null && !neverCreated(s.getJob()) && s.getState() != StageState.Undone) {
        out.add(i);
      }
    }

    return out;
  }

  /** From the first stage's start to the end of the last undone stage. */
  static Optional<KeySpan> undoneRange(DataMigrationStatus status) {
    for (int i = status.getStages().size() - 1; i >= 0; i--) {
      if (status.getStages().get(i).getState() == StageState.Undone) {
        return Optional.of(KeySpan.over(status.getStages().get(0), status.getStages().get(i)));
      }
    }
    return Optional.empty();
  }

  /** What the boundaries were fixed over: {@code table.key}, composite {@code table.key,then}; a change pauses. */
  static String partition(DataMigrationSpec spec) {
    return spec.getPartition().getTable() + "." + String.join(",", spec.getPartition().keyColumns());
  }

  static boolean stagesChanged(DataMigrationSpec spec, DataMigrationStatus status) {
    List<MigrationStage> wanted = spec.getStages();
    List<StageProgress> fixed = status.getStages();
    if (wanted.size() != fixed.size()) {
      return true;
    } else {
      for (int i = 0; i < wanted.size(); i++) {
        if (!wanted.get(i).getName().equals(fixed.get(i).getName()) || !wanted.get(i).getPercent().equals(fixed.get(i).getPercent())) {
          return true;
        }
      }

      return status.getPartition() != null && !status.getPartition().equals(partition(spec));
    }
  }
}
