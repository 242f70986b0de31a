package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.PendingNotification.NotifiedCheck;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.StageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which notifiable transitions a Release makes from its committed status to the planned one. Pure: derived
 * from the two statuses only, so a turn that is planned again after a lost status write finds the same
 * transitions, and a turn after a successful write finds none.
 */
public final class ReleaseTransitions {
  private ReleaseTransitions() {}

  public static List<Transition> between(ReleaseStatus before, ReleaseStatus after) {
    ReleaseStatus was = before == null ? new ReleaseStatus() : before;
    List<Transition> seen = new ArrayList<>();
    String canary = after.getCanaryRevision();
    Integer stageWas = index(was.getCurrentStage());
    Integer stageNow = index(after.getCurrentStage());
    boolean sameCanary = canary != null && canary.equals(was.getCanaryRevision());
    if (canary != null && stageNow != null) {
      if (sameCanary && stageWas != null && stageNow > stageWas) {
        seen.add(of(NotifyTransition.StagePassed, after, canary, was.getCurrentStage().getName(), was.getActualWeight()));
      }
      if (!sameCanary || !Objects.equals(stageWas, stageNow)) {
        seen.add(of(NotifyTransition.StageStarted, after, canary, after.getCurrentStage().getName(), after.getActualWeight()));
      }
    } else if (was.getCanaryRevision() != null && was.getCurrentStage() != null
        && after.getPhase() == ReleasePhase.Promoted && was.getCanaryRevision().equals(after.getStableRevision())) {
      // The last stage passed: its gate is what promoted the revision.
      seen.add(of(NotifyTransition.StagePassed, after, was.getCanaryRevision(), was.getCurrentStage().getName(),
          was.getActualWeight()));
    }
    boolean phaseChanged = after.getPhase() != was.getPhase();
    boolean heldForAnotherReason = after.getPhase() == ReleasePhase.Paused
        && !Objects.equals(after.getPauseReason(), was.getPauseReason());
    if (phaseChanged || heldForAnotherReason) {
      NotifyTransition kind = switch (after.getPhase() == null ? ReleasePhase.Progressing : after.getPhase()) {
        case Paused -> NotifyTransition.Paused;
        case RolledBack -> NotifyTransition.RolledBack;
        case Promoted -> NotifyTransition.Promoted;
        case Failed -> NotifyTransition.Failed;
        case Progressing -> null;
      };
      if (kind != null) {
        String revision = switch (kind) {
          case Promoted -> after.getStableRevision();
          case RolledBack -> after.getFailedRevision() != null ? after.getFailedRevision() : was.getCanaryRevision();
          default -> canary != null ? canary : after.getStableRevision();
        };
        StageStatus stage = after.getCurrentStage() != null ? after.getCurrentStage() : was.getCurrentStage();
        seen.add(of(kind, after, revision, stage == null ? null : stage.getName(), after.getActualWeight()));
      }
    }
    return seen;
  }

  private static Transition of(NotifyTransition kind, ReleaseStatus after, String revision, String stage, Integer weight) {
    String reason = kind == NotifyTransition.Paused && after.getPauseReason() != null ? after.getPauseReason() : kind.name();
    return new Transition(kind, revision, stage, weight, reason, after.getMessage(), checks(after.getChecks()));
  }

  private static List<NotifiedCheck> checks(List<CheckStatus> checks) {
    if (checks == null) {
      return List.of();
    }
    return checks.stream()
        .map(c -> new NotifiedCheck(c.getName(), c.getLastValue(), c.getLastResult() == null ? null : c.getLastResult().name()))
        .toList();
  }

  private static Integer index(StageStatus stage) {
    return stage == null ? null : stage.getIndex();
  }
}
