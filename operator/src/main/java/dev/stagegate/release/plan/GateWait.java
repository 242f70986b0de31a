package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import dev.stagegate.link.LinkBook;
import dev.stagegate.link.LinkView;
import dev.stagegate.link.LinkViews;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.gates: a stage starts only once the DataMigrations it waits for got far enough. A gate on stage k > 0
 * keeps the canary at stage k-1 (its checks keep judging it); a gate on stage 0 holds the new revision at no
 * pods. A missing or not yet reconciled DataMigration is waited for, never a failure, so both resources can be
 * applied in one commit. An opened gate is recorded in status.links and never closes again in this canary.
 */
final class GateWait {
  private GateWait() {
  }

  /** Whether entering {@code stage} must wait; records opened gates, pauses with WaitingForGate otherwise. */
  static boolean holdsEntry(ReleaseDraft d, int stage) {
    LinkBook book = LinkBook.of(d.next.getLinks(), d.next::setLinks);
    List<String> waiting = new ArrayList<>();
    for (ReleaseGate gate : d.spec.gatesOrEmpty()) {
      String resource = LinkViews.MIGRATION + gate.getDataMigration();
      if (gate.getStage() != stage || book.opened(resource, stage)) {
        continue;
      }
      LinkView view = LinkBook.find(d.obs.links(), resource).orElse(LinkView.missing(resource, gate.policy()));
      if (view.reached(gate.getUntil())) {
        book.open(resource, stage, d.now);
        d.note(Note.normal(ReleaseReasons.Event.GateOpened,
            "stage " + d.spec.getStages().get(stage).getName() + ": " + resource + " reached " + gate.getUntil().describe()));
      } else {
        waiting.add(view.waitingFor(gate.getUntil()));
      }
    }
    if (waiting.isEmpty()) {
      if (d.pausedFor(ReleaseReasons.Pause.WaitingForGate)) {
        d.next.setPauseReason(null);
      }
      return false;
    }
    String detail = "stage " + d.spec.getStages().get(stage).getName() + " waits for " + String.join(", and ", waiting);
    if (d.next.getPauseReason() == null) {
      // Another hold (a manual pause, missing evidence) keeps its own reason; the gate is asked again after it.
      d.pause(ReleaseReasons.Pause.WaitingForGate);
      d.note(Note.normal(ReleaseReasons.Pause.WaitingForGate, detail));
    }
    d.pauseDetail = detail;
    return true;
  }

  /**
   * A gate on stage 0: until it opens the canary has no pods and the stable revision stays at full size; the
   * stage (and its progress deadline) starts when the gate opens.
   */
  static boolean holdsStart(ReleaseDraft d) {
    StageStatus current = d.next.getCurrentStage();
    if (current.getIndex() != 0 || current.getReadyAt() != null) {
      return false;
    }
    boolean waited = d.pausedFor(ReleaseReasons.Pause.WaitingForGate);
    if (holdsEntry(d, 0)) {
      current.setStartedAt(Timestamps.precise(d.now));
      d.scale(d.next.getCanaryRevision(), 0);
      d.scale(d.next.getStableRevision(), d.full());
      return true;
    }
    if (waited) {
      current.setStartedAt(Timestamps.precise(d.now));
    }
    return false;
  }
}
