package dev.stagegate.release.plan;

import dev.stagegate.analysis.SequentialBudget;
import dev.stagegate.analysis.SequentialCarry;
import dev.stagegate.analysis.SequentialSpec;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.ByName;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a canary through its stages: sizes it, waits for its pods, lets the checks judge, holds at
 * approval gates and deadlines, and hands over to promotion or rollback.
 */
final class CanaryProgress {
  private CanaryProgress() {
  }

  static void step(ReleaseDraft d) {
    String canary = d.next.getCanaryRevision();
    StageStatus stageStatus = d.next.getCurrentStage();
    Stage stage = d.stageOf(stageStatus);
    int canaryTarget = d.split(stage).canary();
    int canaryReady = d.obs.ready(canary);
    boolean atWeight = d.atWeight(stage);
    d.next.setRequestedWeight(stage.getWeight());
    if (!UserActions.applyToCanary(d)) {
      if (LinkedFailure.rollsBack(d)) {
        return;
      }
      syncSpecPause(d);
      if (GateWait.holdsStart(d)) {
        return;
      }
      if (atWeight && stageStatus.getReadyAt() == null) {
        stageStatus.setReadyAt(Timestamps.precise(d.now));
      }

      Duration deadline = d.progressDeadline();
      if (stageStatus.getReadyAt() == null) {
        Instant limit = Timestamps.parse(stageStatus.getStartedAt()).plus(deadline);
        if (!d.now.isBefore(limit)) {
          Rollback.fail(
            d,
            ReleaseReasons.Event.ProgressDeadlineExceeded,
            "canary " + canary + " had " + canaryReady + "/" + canaryTarget + " ready pods after the progress deadline " + d.deadlineText()
          );
          return;
        }

        d.wakeAt(limit);
      }

      CheckEvidence.apply(d);
      Optional<String> failed = CheckEvidence.failedCheck(d);
      if (failed.isPresent()) {
        Rollback.fail(d, ReleaseReasons.Event.CheckFailed, failed.get());
      } else if (d.next.getCanaryRevision() != null) {
        CheckEvidence.holdWithoutEvidence(d, deadline, stageStatus);
        d.sizeFor(stage);
        CheckEvidence.schedule(d, stageStatus);
        if (!isHeld(d)) {
          if (stageComplete(d, stage, stageStatus, atWeight)) {
            if (stage.needsApproval() && !Boolean.TRUE.equals(stageStatus.getApproved())) {
              if (!d.pausedFor(ReleaseReasons.Pause.AwaitingApproval)) {
                d.pause(ReleaseReasons.Pause.AwaitingApproval);
                d.note(
                  Note.normal(
                    ReleaseReasons.Event.AwaitingApproval, "stage " + stage.getName() + " is complete and waits for `stagegate.dev/action: promote`"
                  )
                );
              }

              return;
            }

            int following = stageStatus.getIndex() + 1;
            if (following < d.spec.getStages().size() && GateWait.holdsEntry(d, following)) {
              return;
            }
            Promotion.completeStage(d, "stage " + stage.getName() + " complete: " + CheckEvidence.summary(d));
          }
        }
      }
    }
  }

  static void enterStage(ReleaseDraft d, int index) {
    Stage stage = d.spec.getStages().get(index);
    d.next.setCurrentStage(new StageStatus(index, stage.getName(), Timestamps.precise(d.now)));
    if (d.atWeight(stage)) {
      d.next.getCurrentStage().setReadyAt(Timestamps.precise(d.now));
    }

    List<CheckStatus> previous = d.next.getChecks() == null ? List.of() : d.next.getChecks();
    d.next.setChecks(new ArrayList<>());

    for (Check check : d.checks()) {
      CheckStatus fresh = new CheckStatus(check.getName());
      CheckStatus before = index > 0 ? ByName.find(previous, CheckStatus::getName, check.getName()) : null;
      SequentialSpec sequential = SequentialBudget.spec(d.spec, check);
      if (before != null && sequential != null) {
        // The evidence carries across stages, and NO_WORSE must be re-earned at each new weight. At 100% stable has no
        // pods left to compare with, so that stage is judged by the evidence the earlier stages gathered, as it stands.
        fresh.setSequential(fullWeight(stage) ? before.getSequential()
            : SequentialCarry.atNewWeight(sequential, before.getSequential()));
      }

      d.next.getChecks().add(fresh);
    }

    d.next.setPhase(ReleasePhase.Progressing);
    CanaryReplicas.Split pods = d.split(stage);
    d.note(
      Note.normal(
        ReleaseReasons.Event.StageStarted,
        "stage "
          + stage.getName()
          + " ("
          + (index + 1)
          + "/"
          + d.spec.getStages().size()
          + "): weight "
          + stage.getWeight()
          + "%, canary "
          + d.next.getCanaryRevision()
          + " at "
          + pods.canary()
          + " pods beside "
          + (stage.getWeight() >= 100 ? "no" : pods.stable())
          + " stable"
      )
    );
  }

  private static void syncSpecPause(ReleaseDraft d) {
    if (d.spec.isPaused() && d.next.getPauseReason() == null) {
      d.pause(ReleaseReasons.Pause.Spec);
      d.note(Note.normal(ReleaseReasons.Event.Paused, "paused by spec.paused"));
    } else if (!d.spec.isPaused() && d.pausedFor(ReleaseReasons.Pause.Spec)) {
      d.next.setPauseReason(null);
      d.note(Note.normal(ReleaseReasons.Event.Resumed, "spec.paused was cleared"));
    }
  }

  private static boolean isHeld(ReleaseDraft d) {
    return d.spec.isPaused() || d.pause().map(ReleaseReasons.Pause::holdsStage).orElse(false);
  }

  private static boolean stageComplete(ReleaseDraft d, Stage stage, StageStatus stageStatus, boolean atWeight) {
    Instant readyAt = Timestamps.parse(stageStatus.getReadyAt());
    if (atWeight && readyAt != null) {
      boolean allPassed = true;
      boolean allNoWorse = !d.checks().isEmpty();

      for (Check check : d.checks()) {
        CheckStatus cs = d.checkStatus(check.getName());
        boolean passing = cs != null && cs.passed() && cs.failures() == 0 && cs.getLastResult() == CheckResult.Pass;
        allPassed &= passing;
        allNoWorse &= passing && Boolean.TRUE.equals(cs.getNoWorse());
      }

      if (!allPassed) {
        return false;
      } else {
        Instant durationEnds = readyAt.plus(Durations.parseOr(stage.getDuration(), Duration.ZERO));
        if (d.now.isBefore(durationEnds) && !allNoWorse) {
          d.wakeAt(durationEnds);
          return false;
        } else {
          return true;
        }
      }
    } else {
      return false;
    }
  }

  private static boolean fullWeight(Stage stage) {
    return stage.getWeight() != null && stage.getWeight() >= 100;
  }
}
