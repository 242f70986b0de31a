package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Note;
import java.util.ArrayList;

/**
 * Follows spec.template: a new template hash starts a canary (or the first stable revision), and
 * revisions that are neither stable nor canary are scaled away.
 */
final class Revisions {
  private Revisions() {
  }

  static void follow(ReleaseDraft d) {
    String template = d.obs.templateRevision();
    if (d.next.getStableRevision() == null) {
      deployFirst(d, template);
    } else if (template.equals(d.next.getStableRevision())) {
      backToStable(d, template);
    } else if (template.equals(d.next.getFailedRevision()) && d.next.getCanaryRevision() == null) {
      failedRevision(d, template);
    } else if (!template.equals(d.next.getCanaryRevision())) {
      newRevision(d, template);
    }
  }

  private static void deployFirst(ReleaseDraft d, String template) {
    d.next.setStableRevision(template);
    d.next.setPhase(ReleasePhase.Progressing);
    d.scale(template, d.full());
    d.note(Note.normal(ReleaseReasons.Event.StableDeployed, "first revision " + template + " deployed at " + d.full() + " replicas"));
  }

  private static void backToStable(ReleaseDraft d, String template) {
    if (d.next.getCanaryRevision() != null) {
      d.note(
        Note.normal(
          ReleaseReasons.Event.CanaryAbandoned,
          "template is back to the stable revision " + template + "; canary " + d.next.getCanaryRevision() + " removed"
        )
      );
      endCanary(d);
    }

    if (d.next.getPhase() == ReleasePhase.RolledBack || d.next.getPhase() == ReleasePhase.Failed) {
      d.next.setPhase(null);
    }

    d.scale(template, d.full());
  }

  private static void failedRevision(ReleaseDraft d, String template) {
    if (d.action.pending() == UserAction.RETRY) {
      d.action.consume("retrying failed revision " + template);
      d.next.setFailedRevision(null);
      startCanary(d, template);
    } else {
      if (d.next.getPhase() != ReleasePhase.RolledBack) {
        d.next.setPhase(ReleasePhase.RolledBack);
        d.next.setMessage("revision " + template + " was rolled back and is not retried by itself; use the `retry` action or change the template");
      }

      d.scale(d.next.getStableRevision(), d.full());
      d.scale(template, 0);
    }
  }

  private static void newRevision(ReleaseDraft d, String template) {
    if (d.next.getCanaryRevision() != null) {
      d.note(
        Note.normal(
          ReleaseReasons.Event.CanaryAbandoned,
          "a newer template " + template + " replaces canary " + d.next.getCanaryRevision() + (d.spec.isPaused() ? "" : "; starting over")
        )
      );
      endCanary(d);
    }

    d.next.setFailedRevision(null);
    if (d.spec.isPaused()) {
      holdUnstarted(d, template);
    } else if (d.obs.templates().missing().isPresent()) {
      holdForTemplates(d, template, d.obs.templates().missing().get());
    } else {
      if (d.pausedFor(ReleaseReasons.Pause.Spec)) {
        d.note(Note.normal(ReleaseReasons.Event.Resumed, "spec.paused was cleared: revision " + template + " starts its canary"));
      }

      startCanary(d, template);
    }
  }

  private static void holdUnstarted(ReleaseDraft d, String revision) {
    if (!d.pausedFor(ReleaseReasons.Pause.Spec)) {
      d.pause(ReleaseReasons.Pause.Spec);
      d.note(Note.normal(ReleaseReasons.Event.Paused, "revision " + revision + " waits: spec.paused is set; its canary starts when spec.paused is cleared"));
    }
  }

  /** No canary without its checks: a template may arrive a moment after the Release (one GitOps commit). */
  private static void holdForTemplates(ReleaseDraft d, String revision, String missing) {
    String wait = "revision " + revision + " waits for its check templates: " + missing
        + "; its canary starts when they exist";
    d.templateWait = wait;
    if (d.next.getMessage() == null || !d.next.getMessage().startsWith(wait)) {
      d.note(Note.normal(ReleaseReasons.Event.TemplatePending, wait));
    }
  }

  static void startCanary(ReleaseDraft d, String revision) {
    d.next.setCanaryRevision(revision);
    d.next.setPauseReason(null);
    // A new canary is a new run of every link: gates wait again, older failures are not followed.
    d.next.setLinks(new ArrayList<>());
    CanaryProgress.enterStage(d, 0);
  }

  static void endCanary(ReleaseDraft d) {
    d.next.setCanaryRevision(null);
    d.next.setCurrentStage(null);
    d.next.setChecks(new ArrayList<>());
    d.next.setPauseReason(null);
    d.next.setRequestedWeight(null);
  }

  static void settleOthers(ReleaseDraft d) {
    boolean stableFull = d.obs.ready(d.next.getStableRevision()) >= d.full();

    for (DeploymentState deployment : d.obs.deployments().values()) {
      String rev = deployment.revision();
      if (!d.sized(rev) && !rev.equals(d.next.getStableRevision()) && !rev.equals(d.next.getCanaryRevision())) {
        if (rev.equals(d.next.getFailedRevision())) {
          d.scale(rev, 0);
        } else if (stableFull) {
          d.delete(rev);
        }
      }
    }

    if (d.next.getStableRevision() != null && !d.sized(d.next.getStableRevision())) {
      d.scale(d.next.getStableRevision(), d.full());
    }
  }
}
