package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.GuardStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.common.Note;
import dev.stagegate.common.Numbers;
import dev.stagegate.common.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * Preflight: every guard must pass before the first write; an unreachable database or a guard that
 * cannot be evaluated blocks (and is retried), a failed guard refuses.
 */
final class Guarding {
  private Guarding() {
  }

  static void step(MigrationDraft d) {
    d.next.setPhase(MigrationPhase.Guarding);
    if (d.action.pending() == MigrationAction.ABORT) {
      d.action.consume("abort");
      d.terminalFailure(MigrationReasons.Cause.Aborted, "aborted by `stagegate.dev/action: abort` before anything was written", true);
    } else {
      PreflightOutcome outcome = d.obs.preflight();
      if (outcome != null) {
        d.next.setPreflightRuns(d.next.preflightRunCount() + 1);
        d.next.setLastPreflightAt(Timestamps.precise(d.now));
        if (outcome instanceof PreflightOutcome.Blocked b) {
          recordGuards(d, b.guards());
          d.pause(b.reason(), b.message() + "; nothing is written, trying again in " + d.retryDelay.toSeconds() + "s");
          d.wakeAt(d.now.plus(d.retryDelay));
        } else if (outcome instanceof PreflightOutcome.Invalid i) {
          Reopen.invalid(d, "invalid spec: " + String.join("; ", i.errors()));
        } else if (outcome instanceof PreflightOutcome.Refused r) {
          recordGuards(d, r.guards());
          d.terminalFailure(r.reason(), r.message() + "; nothing was written", true);
        } else if (outcome instanceof PreflightOutcome.Ready r) {
          recordGuards(d, r.guards());
          if (d.next.getPauseReason() != null) {
            d.resume("the databases answer again");
          }

          fixBoundaries(d, r.boundaries());
          StageLoad.progress(d);
        }
      } else {
        d.waitForWork();
        if (d.next.getMessage() == null || d.next.getPauseReason() == null) {
          d.next.setMessage("checking the schema and the guards");
        }
      }
    }
  }

  private static void recordGuards(MigrationDraft d, List<GuardOutcome> outcomes) {
    List<GuardStatus> guards = new ArrayList<>();

    for (GuardOutcome g : outcomes) {
      GuardStatus gs = new GuardStatus(g.name());
      gs.setResult(g.result());
      gs.setObserved(g.observed());
      gs.setExpected(g.expected());
      gs.setMessage(g.message());
      gs.setEvaluatedAt(Timestamps.format(d.now));
      guards.add(gs);
    }

    d.next.setGuards(guards);
  }

  private static void fixBoundaries(MigrationDraft d, Boundaries boundaries) {
    List<StageProgress> stages = new ArrayList<>();
    List<String> described = new ArrayList<>();

    for (int i = 0; i < d.spec.getStages().size(); i++) {
      MigrationStage stage = d.spec.getStages().get(i);
      StageRange r = boundaries.stages().get(i);
      StageProgress progress = new StageProgress(stage.getName(), stage.getPercent(), r.keyFrom(), r.keyTo(), r.rows());
      if (r.typed()) {
        progress.setKeyFrom(null);
        progress.setKeyTo(null);
        progress.setFromKey(r.fromKey());
        progress.setToKey(r.toKey());
      }
      if (!r.parts().isEmpty()) {
        progress.setParts(new ArrayList<>(r.parts()));
      }
      stages.add(progress);
      described.add(stage.getName() + " " + r.keys() + " " + r.rows() + " rows");
    }

    d.next.setStages(stages);
    d.next.setRowsTotal(boundaries.totalRows());
    d.next.setRowsMigrated(0L);
    d.next.setPartition(MigrationState.partition(d.spec));
    String uid = d.migration.getMetadata().getUid();
    d.next.setRunId((uid == null ? "local" : uid.substring(0, Math.min(8, uid.length()))) + "-" + d.obs.generation());
    List<GuardStatus> guards = d.next.getGuards();
    d.note(
      Note.normal(
        MigrationReasons.Event.GuardsPassed,
        guards.isEmpty()
          ? "no guards; schema checks passed"
          : guards.size() + " guard(s) passed: " + String.join(", ", guards.stream().map(GuardStatus::getName).toList())
      )
    );
    d.note(Note.normal(MigrationReasons.Event.BoundariesFixed, boundaries.totalRows() + " source rows; " + String.join(", ", described)));
  }
}
