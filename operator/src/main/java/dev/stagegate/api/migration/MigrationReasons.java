package dev.stagegate.api.migration;

import dev.stagegate.api.common.Reason;
import java.util.Optional;

/** Every Event reason, failure and pause cause of a DataMigration, in one place. */
public final class MigrationReasons {
  private MigrationReasons() {
  }

  public enum Cause implements Reason {
    AwaitingApproval,
    NoEvidence,
    DatabaseUnreachable,
    SecretNotFound,
    GuardError,
    SpecChanged,
    InvalidSpec,
    BackupFailed,
    WorkerFailed,
    VerifyFailed,
    GuardFailed,
    EmptySource,
    TargetNotEmpty,
    UndoFailed,
    RollbackVerifyFailed,
    Aborted,
    /** A stage's load waits for a linked Release (spec.gates). */
    WaitingForGate,
    /** A linked Release rolled back, so this migration aborts and undoes its stages (RollBackBoth). */
    LinkedReleaseRolledBack,
    /** A verify check's CheckTemplate/ClusterCheckTemplate is not there (yet): nothing more is written until it is. */
    TemplatePending,
    /** Prometheus refused a verify check's query (a syntax error): held, not asked again, until the spec changes. */
    InvalidQuery;

    public static Optional<Cause> of(String statusValue) {
      for (Cause cause : values()) {
        if (cause.name().equals(statusValue)) {
          return Optional.of(cause);
        }
      }

      return Optional.empty();
    }

    public boolean failurePause() {
      return this == BackupFailed || this == WorkerFailed || this == VerifyFailed;
    }

    public boolean evidencePause() {
      return this == NoEvidence || this == DatabaseUnreachable || this == SecretNotFound || this == TemplatePending;
    }
  }

  public enum Event implements Reason {
    Restarted,
    GuardsPassed,
    BoundariesFixed,
    BackupStarted,
    BackupCompleted,
    StageStarted,
    StageLoaded,
    VerifyCheckFailed,
    StageVerified,
    AwaitingApproval,
    Succeeded,
    Resumed,
    Retrying,
    RollingBack,
    UndoStarted,
    StageUndone,
    RolledBack,
    /** A stage's gate on a Release opened. */
    GateOpened,
    /** Every undo Job succeeded, but no compare check could prove the target clean. */
    RolledBackUnverified,
    JobRefused;
  }
}
