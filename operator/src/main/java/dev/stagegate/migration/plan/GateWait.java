package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.common.Note;
import dev.stagegate.link.LinkBook;
import dev.stagegate.link.LinkView;
import dev.stagegate.link.LinkViews;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.gates: a stage's load Job is created only once the Releases it waits for got far enough. A missing or
 * not yet reconciled Release is waited for, never a failure, so both resources can be applied in one commit.
 * An opened gate is recorded in status.links and never closes again in this run.
 */
final class GateWait {
  private GateWait() {
  }

  /** Whether loading stage {@code index} must wait; records opened gates, pauses with WaitingForGate otherwise. */
  static boolean holds(MigrationDraft d, int index) {
    LinkBook book = LinkBook.of(d.next.getLinks(), d.next::setLinks);
    List<String> waiting = new ArrayList<>();
    for (MigrationGate gate : d.spec.gatesOrEmpty()) {
      String resource = LinkViews.RELEASE + gate.getRelease();
      if (gate.getStage() != index || book.opened(resource, index)) {
        continue;
      }
      LinkView view = LinkBook.find(d.obs.links(), resource).orElse(LinkView.missing(resource, gate.policy()));
      if (view.reached(gate.getUntil())) {
        book.open(resource, index, d.now);
        d.note(Note.normal(MigrationReasons.Event.GateOpened,
            d.stageLabel(index) + ": " + resource + " reached " + gate.getUntil().describe()));
      } else {
        waiting.add(view.waitingFor(gate.getUntil()));
      }
    }
    if (waiting.isEmpty()) {
      if (d.pausedFor(MigrationReasons.Cause.WaitingForGate)) {
        d.next.setPauseReason(null);
      }
      return false;
    }
    String message = d.stageLabel(index) + " waits for " + String.join(", and ", waiting);
    if (!d.pausedFor(MigrationReasons.Cause.WaitingForGate)) {
      d.note(Note.normal(MigrationReasons.Cause.WaitingForGate, message));
    }
    d.next.setPauseReason(MigrationReasons.Cause.WaitingForGate.name());
    d.next.setPhase(MigrationPhase.Paused);
    d.next.setMessage(message);
    return true;
  }
}
