package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which database work (preflight guards, verify checks) is due now, for the reconciler to run in the
 * background before the next turn.
 */
final class DueWork {
  private DueWork() {
  }

  static List<WorkRequest> of(DataMigration migration, Instant now, Duration retryDelay) {
    DataMigrationSpec spec = migration.getSpec();
    DataMigrationStatus status = migration.getStatus() == null ? new DataMigrationStatus() : migration.getStatus();
    if (status.getRollback() != null) {
      return rollbackChecks(spec, status, now);
    } else if (status.getStages() != null && !status.getStages().isEmpty()) {
      if (!MigrationState.stagesChanged(spec, status)
        && !MigrationState.failurePause(status.getPauseReason())
        && !MigrationReasons.Cause.AwaitingApproval.name().equals(status.getPauseReason())
        && !InvalidQueryHold.holding(status, generation(migration))) {
        int index = MigrationState.firstUnverified(status);
        if (index < 0) {
          return List.of();
        } else {
          StageProgress stage = status.getStages().get(index);
          if (stage.getState() == StageState.Loaded && !stage.isRetrying()) {
            List<WorkRequest> due = new ArrayList<>();

            for (VerifyCheck check : spec.verifyOrEmpty()) {
              if (check.unresolvedTemplate()) {
                continue; // its template is missing: nothing to evaluate (TemplateHold)
              }
              VerifyStatus vs = MigrationState.find(status.getVerify(), check.getName());
              boolean fresh = vs == null || !stage.getName().equals(vs.getStage());
              if (fresh || !vs.hasPassed()) {
                Instant last = fresh ? null : Timestamps.parse(vs.getEvaluatedAt());
                if (last == null || !now.isBefore(last.plus(MigrationState.interval(check)))) {
                  due.add(
                    new WorkRequest.Verify(
                      check,
                      stage.getName(),
                      stage.getJob() == null ? 1 : stage.getJob().attemptOrOne(),
                      KeySpan.upTo(status.getStages(), stage),
                      fresh ? 0 : vs.evaluationCount()
                    )
                  );
                }
              }
            }

            return due;
          } else {
            return List.of();
          }
        }
      } else {
        return List.of();
      }
    } else {
      Instant last = Timestamps.parse(status.getLastPreflightAt());
      return last != null && now.isBefore(last.plus(retryDelay)) ? List.of() : List.of(new WorkRequest.Preflight(status.preflightRunCount()));
    }
  }

  private static long generation(DataMigration migration) {
    Long generation = migration.getMetadata() == null ? null : migration.getMetadata().getGeneration();
    return generation == null ? 0L : generation;
  }

  private static List<WorkRequest> rollbackChecks(DataMigrationSpec spec, DataMigrationStatus status, Instant now) {
    if (MigrationState.stagesToUndo(status).isEmpty() && !MigrationState.failurePause(status.getPauseReason())) {
      Optional<KeySpan> range = MigrationState.undoneRange(status);
      if (range.isEmpty()) {
        return List.of();
      } else {
        List<WorkRequest> due = new ArrayList<>();

        for (VerifyCheck check : spec.verifyOrEmpty()) {
          if (check.getCompare() != null) {
            VerifyStatus vs = MigrationState.find(status.getRollback().getChecks(), check.getName());
            if (vs == null || !vs.hasPassed()) {
              Instant last = vs == null ? null : Timestamps.parse(vs.getEvaluatedAt());
              if (last == null || !now.isBefore(last.plus(MigrationState.interval(check)))) {
                due.add(new WorkRequest.RollbackVerify(check, range.get(), vs == null ? 0 : vs.evaluationCount()));
              }
            }
          }
        }

        return due;
      }
    } else {
      return List.of();
    }
  }
}
