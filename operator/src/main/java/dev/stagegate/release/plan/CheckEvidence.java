package dev.stagegate.release.plan;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Numbers;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the check outcomes the reconciler gathered into the stage's verdict, and schedules the next
 * evaluations. Missing evidence holds the stage (NoEvidence) instead of passing it.
 */
final class CheckEvidence {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30L);

  private CheckEvidence() {
  }

  static Duration interval(Check check) {
    return Durations.parseOr(check.getInterval(), DEFAULT_INTERVAL);
  }

  static void apply(ReleaseDraft d) {
    if (outcomesBelongToCurrentStage(d)) {
      for (Check check : d.checks()) {
        CheckOutcome outcome = d.obs.outcomes().get(check.getName());
        if (outcome != null) {
          CheckStatus cs = d.checkStatus(check.getName());
          if (cs == null) {
            cs = new CheckStatus(check.getName());
            d.next.getChecks().add(cs);
          }

          cs.setLastEvaluationTime(Timestamps.precise(d.now));
          cs.setEvaluations((cs.getEvaluations() == null ? 0 : cs.getEvaluations()) + 1);
          cs.setLastResult(outcome.result());
          cs.setLastValue(Numbers.format(outcome.value()));
          cs.setBaselineValue(Numbers.format(outcome.baseline()));
          cs.setMessage(outcome.message());
          if (outcome.sequential() != null) {
            SequentialParameters.carry(d, check, cs.getSequential(), outcome.sequential());
            cs.setSequential(outcome.sequential());
          }

          switch (outcome.result()) {
            case Pass:
              cs.setConsecutiveFailures(0);
              cs.setPassedInStage(true);
              cs.setLastConclusiveTime(Timestamps.precise(d.now));
              cs.setNoWorse(outcome.noWorse() ? Boolean.TRUE : null);
              break;
            case Fail:
              cs.setConsecutiveFailures(cs.failures() + 1);
              cs.setLastConclusiveTime(Timestamps.precise(d.now));
              cs.setNoWorse(null);
              d.note(
                Note.warning(
                  ReleaseReasons.Event.CheckFailed,
                  "check " + check.getName() + " failed (" + cs.failures() + "/" + check.failureLimitOrDefault() + "): " + outcome.message()
                )
              );
          }
        }
      }
    }
  }

  private static boolean outcomesBelongToCurrentStage(ReleaseDraft d) {
    ReleaseStatus before = d.release.getStatus();
    StageStatus measured = before == null ? null : before.getCurrentStage();
    StageStatus current = d.next.getCurrentStage();
    return measured != null
      && current != null
      && Objects.equals(before.getCanaryRevision(), d.next.getCanaryRevision())
      && Objects.equals(measured.getIndex(), current.getIndex())
      && Objects.equals(measured.getStartedAt(), current.getStartedAt());
  }

  static Optional<String> failedCheck(ReleaseDraft d) {
    for (Check check : d.checks()) {
      CheckStatus cs = d.checkStatus(check.getName());
      if (cs != null && cs.failures() >= check.failureLimitOrDefault()) {
        return Optional.of("check " + check.getName() + " failed " + cs.failures() + " time(s) in a row: " + cs.getMessage());
      }
    }

    return Optional.empty();
  }

  static void holdWithoutEvidence(ReleaseDraft d, Duration deadline, StageStatus stageStatus) {
    Instant readyAt = Timestamps.parse(stageStatus.getReadyAt());
    if (readyAt != null && d.spec.getChecks() != null) {
      String stalled = null;

      for (Check check : d.checks()) {
        CheckStatus cs = d.checkStatus(check.getName());
        if (cs != null && cs.getLastResult() != null && !cs.getLastResult().conclusive()) {
          Instant since = latest(readyAt, Timestamps.parse(cs.getLastConclusiveTime()));
          Instant limit = since.plus(deadline);
          if (!d.now.isBefore(limit)) {
            stalled = "check "
              + check.getName()
              + " has had no conclusive result for "
              + d.deadlineText()
              + ": "
              + cs.getLastResult()
              + ": "
              + cs.getMessage();
            break;
          }

          d.wakeAt(limit);
        }
      }

      if (stalled != null) {
        d.pauseDetail = stalled;
      }

      if (stalled != null && d.next.getPauseReason() == null) {
        d.pause(ReleaseReasons.Pause.NoEvidence);
        d.note(Note.warning(ReleaseReasons.Event.NoEvidence, stalled + "; holding the stage until the check is conclusive again"));
      } else if (stalled == null && d.pausedFor(ReleaseReasons.Pause.NoEvidence)) {
        d.next.setPauseReason(null);
        d.note(Note.normal(ReleaseReasons.Event.Resumed, "checks are conclusive again"));
      }
    }
  }

  static void schedule(ReleaseDraft d, StageStatus stageStatus) {
    if (stageStatus.getReadyAt() != null) {
      for (Check check : d.checks()) {
        CheckStatus cs = d.checkStatus(check.getName());
        Instant last = cs == null ? null : Timestamps.parse(cs.getLastEvaluationTime());
        d.wakeAt(last == null ? d.now : last.plus(interval(check)));
      }
    }
  }

  static String summary(ReleaseDraft d) {
    if (d.next.getChecks().isEmpty()) {
      return "pods ready, no checks";
    } else {
      List<String> parts = new ArrayList<>();

      for (CheckStatus cs : d.next.getChecks()) {
        parts.add(cs.getName() + "=" + cs.getLastValue() + " " + cs.getLastResult());
      }

      return String.join(", ", parts);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return b != null && !a.isAfter(b) ? b : a;
  }
}
