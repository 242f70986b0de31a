package dev.stagegate.migration.plan;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Numbers;
import dev.stagegate.datacompare.Key;
import dev.stagegate.common.Timestamps;
import dev.stagegate.datacompare.ComparisonResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Verifies a loaded stage with its checks (data comparison, SQL bounds, Prometheus bounds); a failed
 * check rolls back or pauses, missing evidence holds the stage.
 */
final class Verify {
  private Verify() {
  }

  static void step(MigrationDraft d, int index, StageProgress stage) {
    d.next.setPhase(MigrationPhase.Verifying);
    KeySpan keys = KeySpan.over(d.next.getStages().get(0), stage);
    List<VerifyStatus> entries = new ArrayList<>();

    for (VerifyCheck check : d.spec.verifyOrEmpty()) {
      VerifyStatus vs = MigrationState.find(d.next.getVerify(), check.getName());
      if (vs == null || !stage.getName().equals(vs.getStage())) {
        vs = keys.newStatus(check.getName(), stage.getName());
      }

      entries.add(vs);
    }

    d.next.setVerify(entries);
    if (d.pausedFor(MigrationReasons.Cause.VerifyFailed)) {
      d.next.setPhase(MigrationPhase.Paused);
    } else if (TemplateHold.holdVerify(d, d.spec.verifyOrEmpty())) {
      d.wakeAt(d.now.plus(MigrationDraft.MAX_REQUEUE));
    } else if (InvalidQueryHold.holds(d, entries, d.spec.verifyOrEmpty())) {
      d.next.setPhase(MigrationPhase.Paused);
    } else {
      String failed = null;

      for (VerifyCheck check : d.spec.verifyOrEmpty()) {
        VerifyStatus vs = MigrationState.find(entries, check.getName());
        VerifyOutcome outcome = d.obs.verify().get(check.getName());
        if (outcome != null && !vs.hasPassed()) {
          record(d, vs, outcome);
          if (outcome.result() == CheckResult.Fail) {
            d.note(
              Note.warning(
                MigrationReasons.Event.VerifyCheckFailed,
                d.stageLabel(index)
                  + ": check "
                  + check.getName()
                  + " failed ("
                  + vs.failures()
                  + "/"
                  + check.failureLimitOrDefault()
                  + "): "
                  + vs.getMessage()
              )
            );
          }
        }

        if (failed == null && vs.failures() >= check.failureLimitOrDefault()) {
          failed = "check "
            + check.getName()
            + " failed "
            + vs.failures()
            + " time(s) over keys "
            + keys.describe()
            + ": "
            + vs.getMessage();
        }
      }

      if (failed != null) {
        stage.setState(StageState.Failed);
        stage.setMessage(failed);
        Undo.fail(d, MigrationReasons.Cause.VerifyFailed, d.stageLabel(index) + ": " + failed);
      } else if (!evidencePause(d, entries, d.spec.verifyOrEmpty())) {
        if (entries.stream().allMatch(VerifyStatus::hasPassed)) {
          stage.setState(StageState.Verified);
          stage.setVerifiedAt(Timestamps.format(d.now));
          d.note(
            Note.normal(
              MigrationReasons.Event.StageVerified,
              d.stageLabel(index)
                + " verified over keys "
                + keys.describe()
                + (entries.isEmpty() ? " (no verify checks)" : ": " + MigrationDraft.summary(entries))
            )
          );
          StageLoad.step(d);
        } else {
          d.next.setMessage(d.stageLabel(index) + ": verifying keys " + keys.describe() + ": " + MigrationDraft.summary(entries));
          schedule(d, entries, d.spec.verifyOrEmpty());
        }
      }
    }
  }

  static boolean evidencePause(MigrationDraft d, List<VerifyStatus> entries, List<VerifyCheck> checks) {
    VerifyStatus blind = null;

    for (VerifyStatus vs : entries) {
      if (!vs.hasPassed() && vs.getResult() != null && !vs.getResult().conclusive()) {
        blind = vs;
        break;
      }
    }

    if (blind != null) {
      VerifyOutcome outcome = d.obs.verify().get(blind.getName());
      if (outcome == null) {
        outcome = d.obs.rollbackVerify().get(blind.getName());
      }

      boolean unreachable = outcome != null ? outcome.unreachable() : d.pausedFor(MigrationReasons.Cause.DatabaseUnreachable);
      d.pause(
        unreachable ? MigrationReasons.Cause.DatabaseUnreachable : MigrationReasons.Cause.NoEvidence,
        "check " + blind.getName() + " has no conclusive result (" + blind.getResult() + "): " + blind.getMessage() + "; nothing is written until it has"
      );
      schedule(d, entries, checks);
      return true;
    } else {
      if (MigrationReasons.Cause.of(d.next.getPauseReason()).map(MigrationReasons.Cause::evidencePause).orElse(false)) {
        d.resume("the checks are conclusive again");
      }

      return false;
    }
  }

  static void schedule(MigrationDraft d, List<VerifyStatus> entries, List<VerifyCheck> checks) {
    for (VerifyCheck check : checks) {
      VerifyStatus vs = MigrationState.find(entries, check.getName());
      if (vs != null && !vs.hasPassed()) {
        Instant last = Timestamps.parse(vs.getEvaluatedAt());
        if (last == null) {
          d.waitForWork();
        } else {
          d.wakeAt(last.plus(MigrationState.interval(check)));
        }
      }
    }
  }

  private static List<String> texts(List<Key> keys) {
    return new ArrayList<>(keys.stream().map(Key::toString).toList());
  }

  static void record(MigrationDraft d, VerifyStatus vs, VerifyOutcome outcome) {
    vs.setEvaluations(vs.evaluationCount() + 1);
    vs.setEvaluatedAt(Timestamps.precise(d.now));
    vs.setResult(outcome.result());
    vs.setMessage(outcome.message());
    vs.setDuration(outcome.duration() == null ? null : String.format(Locale.ROOT, "%.3fs", outcome.duration().toMillis() / 1000.0));
    vs.setValue(outcome.value() == null ? null : Numbers.format(outcome.value()));
    ComparisonResult c = outcome.comparison();
    if (c != null) {
      vs.setSourceRows(c.sourceRows());
      vs.setTargetRows(c.targetRows());
      vs.setMissing(c.missing());
      vs.setExtra(c.extra());
      vs.setChanged(c.changed());
      if (vs.getFromKey() == null) {
        vs.setMissingSamples(new ArrayList<>(c.missingSamples()));
        vs.setExtraSamples(new ArrayList<>(c.extraSamples()));
        vs.setChangedSamples(new ArrayList<>(c.changedSamples()));
      } else {
        vs.setMissingKeys(texts(c.samples().missing()));
        vs.setExtraKeys(texts(c.samples().extra()));
        vs.setChangedKeys(texts(c.samples().changed()));
      }
    }

    switch (outcome.result()) {
      case Pass:
        vs.setPassed(true);
        vs.setConsecutiveFailures(0);
        break;
      case Fail:
        vs.setConsecutiveFailures(vs.failures() + 1);
    }
  }
}
