package dev.stagegate.api.release;

import dev.stagegate.api.common.Reason;
import java.util.Optional;

/** Every Event reason and pause cause of a Release, in one place. */
public final class ReleaseReasons {
  private ReleaseReasons() {
  }

  public enum Event implements Reason {
    StableDeployed,
    StageStarted,
    StageCompleted,
    AwaitingApproval,
    Promoted,
    Progressing,
    Paused,
    Resumed,
    Retrying,
    CanaryAbandoned,
    CheckFailed,
    NoEvidence,
    EvidenceRestarted,
    ParametersChanged,
    ProgressDeadlineExceeded,
    Aborted,
    RolledBack,
    /** A linked DataMigration failed or rolled back, so the canary rolls back with it (RollBackBoth). */
    LinkedMigrationFailed,
    /** A stage's gate on a DataMigration opened. */
    GateOpened,
    /** A check template a new canary needs is not there (yet): the canary waits for it. */
    TemplatePending,
    /** The stable revision's Deployment is gone and spec.template no longer holds its template. */
    StableMissing,
    /** An owned Deployment was edited by hand (pod template, labels or selector) and was put back. */
    DriftRepaired,
    /** The Deployment named in spec.workloadRef is not there: nothing is deployed until it is. */
    WorkloadRefMissing,
    /** The referenced Deployment's replicas were changed by someone else (GitOps, Helm): the new original count. */
    WorkloadRefReplicasChanged,
    /** The referenced Deployment was scaled back to its original replicas (workloadRef removed, Release deleted). */
    WorkloadRefRestored,
    /** Prometheus refused a check's query (a syntax error): a spec error, held until the spec changes. */
    InvalidQuery,
    InvalidSpec;
  }

  public enum Pause implements Reason {
    Spec,
    Manual,
    AwaitingApproval,
    CheckFailed,
    NoEvidence,
    /** A stage waits for a linked DataMigration (spec.gates). */
    WaitingForGate,
    /** The stable Deployment was deleted mid-canary and cannot be re-created: nothing is judged or promoted. */
    StableMissing;

    public static Optional<Pause> of(String statusValue) {
      for (Pause pause : values()) {
        if (pause.name().equals(statusValue)) {
          return Optional.of(pause);
        }
      }

      return Optional.empty();
    }

    public boolean holdsStage() {
      return this == Manual || this == CheckFailed || this == NoEvidence || this == StableMissing;
    }

    public boolean blocks() {
      return this == CheckFailed || this == NoEvidence || this == StableMissing;
    }
  }
}
